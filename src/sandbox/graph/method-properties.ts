// How the simulated Graph describes a non-phone method in /authentication/methods (displayName, emailAddress, a
// Temporary Access Pass's lifetime), as the real Graph does.
import type { ListedMethod } from '../../graph/auth-methods.js';

/** The properties Graph returns for each kind (here `name` holds what Graph stores, e.g. the full e-mail address). */
export function methodProperties(m: ListedMethod): Record<string, unknown> {
  switch (m.kind) {
    case 'email':
      return { emailAddress: m.name ?? '' };
    case 'temporaryAccessPass': {
      const start = (m.until ?? Date.now()) - 8 * 3_600_000;
      return {
        createdDateTime: new Date(start).toISOString(),
        startDateTime: new Date(start).toISOString(),
        lifetimeInMinutes: 480,
        isUsableOnce: false,
        isUsable: (m.until ?? 0) > Date.now(),
        methodUsabilityReason: (m.until ?? 0) > Date.now() ? 'EnabledByPolicy' : 'Expired',
      };
    }
    case 'fido2':
      return { displayName: m.name ?? null, model: m.name ?? null };
    default:
      return { displayName: m.name ?? null };
  }
}
