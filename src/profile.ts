// Which world Proofup runs in: the sandbox (simulators, http on loopback, first channel as helpdesk) or production.
// A leaf module, so that any layer may name it without reaching up to the configuration.
export type Profile = 'sandbox' | 'production';
