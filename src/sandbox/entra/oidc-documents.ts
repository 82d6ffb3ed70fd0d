// What the simulated Entra ID publishes and reads as the real one does: the OIDC discovery document of a tenant, and
// the `acrs` a claims request asks for.

/** The tenant's OpenID configuration (`tenantBase` = https://host/<tenant>). */
export function discoveryDocument(tenantBase: string, issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${tenantBase}/oauth2/v2.0/authorize`,
    token_endpoint: `${tenantBase}/oauth2/v2.0/token`,
    jwks_uri: `${tenantBase}/discovery/v2.0/keys`,
    end_session_endpoint: `${tenantBase}/oauth2/v2.0/logout`,
    response_types_supported: ['code', 'id_token', 'code id_token'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    claims_parameter_supported: true,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'sandbox.proofup.test',
  };
}

/** Which `acrs` values the claims request asks for in the ID token (or access token). */
export function requestedAcrs(claims: string | null): string[] {
  if (!claims) return [];
  try {
    const parsed = JSON.parse(claims) as Record<string, { acrs?: { value?: string; values?: string[] } }>;
    const acrs = parsed.id_token?.acrs ?? parsed.access_token?.acrs;
    return acrs?.values ?? (acrs?.value ? [acrs.value] : []);
  } catch {
    return []; // Entra ignores an unparsable claims request rather than failing the sign-in
  }
}
