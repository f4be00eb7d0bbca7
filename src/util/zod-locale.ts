/** zod/mini ships no messages; load English once so every schema's errors read as sentences. */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
