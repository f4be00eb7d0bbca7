/** Formats zod issues as path-prefixed, one-line messages. */
import type { core } from 'zod/mini';

export function formatZodIssues(error: core.$ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'top level';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
