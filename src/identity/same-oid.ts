// Entra object ids compared the one way every owner check needs: both present and equal (GUIDs, case-insensitive).
// A missing id on either side is never "the same person" — owner checks fail closed.
export function sameOid(a: string | undefined | null, b: string | undefined | null): boolean {
  return Boolean(a && b && a.toLowerCase() === b.toLowerCase());
}
