// Where one-time codes may be texted (SMS_ALLOWED_COUNTRIES). Codes sent to premium ranges abroad are how SMS pumping
// fraud bills an organisation, so by default ("tenant") only the organisation's country (Graph /organization,
// countryLetterCode; Organization.Read.All) and the countries of the user's OWN registered numbers are allowed.
import type { SecurityInfo } from '../graph/auth-methods.js';
import type { Logger } from '../logging.js';
import { countryOf } from '../phone/phone-number.js';

const TENANT_COUNTRY_TTL_MS = 3_600_000;

export class SmsCountries {
  private tenant?: { country?: string; until: number };

  constructor(
    private readonly setting: '*' | 'tenant' | string[],
    private readonly graph: { tenantCountry(): Promise<string | undefined> },
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The ISO 3166 codes a code may go to for this user, or undefined for anywhere. */
  async allowedFor(info: SecurityInfo | undefined): Promise<string[] | undefined> {
    if (this.setting === '*') return undefined;
    if (Array.isArray(this.setting)) return this.setting;
    const own = Object.values(info?.phones ?? {}).flatMap((n) => countryOf(n) ?? []);
    const tenant = await this.tenantCountry();
    const allowed = [...new Set([...(tenant ? [tenant] : []), ...own])];
    if (allowed.length > 0) return allowed;
    // Neither the organisation's country nor any number of the user's: nothing to go by, so the limit cannot apply.
    this.logger.warn(
      { code: 'PROOFUP_SMS_COUNTRIES_UNKNOWN' },
      'no country to limit codes to; set SMS_ALLOWED_COUNTRIES',
    );
    return undefined;
  }

  private async tenantCountry(): Promise<string | undefined> {
    if (this.tenant && this.tenant.until > this.now()) return this.tenant.country;
    try {
      const country = await this.graph.tenantCountry();
      this.tenant = { country, until: this.now() + TENANT_COUNTRY_TTL_MS };
      return country;
    } catch (err) {
      // Not cached: the next code asks again (the permission may be granted meanwhile).
      this.logger.warn({ err, code: 'PROOFUP_TENANT_COUNTRY_UNKNOWN' }, 'could not read the organisation country');
      return undefined;
    }
  }
}
