/** The project's default QEMU profile, loaded from qemu/ as the tool does. */
import { loadProfile, type Profile } from '../../src/qemu/profile.js';

export const defaultProfile = (): Promise<Profile> => loadProfile('virt-cortex-a53');
