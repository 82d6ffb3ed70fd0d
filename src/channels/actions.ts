// Every `data.action` a card in /cards can submit. Cards and code name the same constants; a test checks that each
// action in /cards is one of these and that each has a route.
export const Actions = {
  changeSecurityInfo: 'intent.changeSecurityInfo',
  stepUpStart: 'stepUp.start',
  cancel: 'flow.cancel',
  menu: 'sec.menu',
  editPhone: 'sec.editPhone',
  removePhone: 'sec.removePhone',
  setDefault: 'sec.setDefault',
  submitNumber: 'sec.submitNumber',
  submitCode: 'sec.submitCode',
  resendCode: 'sec.resendCode',
  confirm: 'sec.confirm',
  escalate: 'helpdesk.escalate',
  take: 'helpdesk.take',
  handoff: 'helpdesk.handoff',
  handoffAccept: 'handoff.accept',
  handoffDecline: 'handoff.decline',
  tapAttest: 'helpdesk.tapAttest',
  tapApprove: 'helpdesk.tapApprove',
  tapHide: 'helpdesk.tapHide',
  tapVerify: 'helpdesk.tapVerify',
  tapDecline: 'helpdesk.tapDecline',
  readinessNames: 'readiness.names',
  campaignStart: 'campaign.start',
  campaignStop: 'campaign.stop',
  reminderPasskey: 'reminder.passkey',
  reminderSnooze: 'reminder.snooze',
  reminderOptOut: 'reminder.optOut',
  passkeyStart: 'passkey.start',
  passkeyDevice: 'passkey.device',
  passkeyAdded: 'passkey.added',
  passkeyHelp: 'passkey.help',
} as const;

export type Action = (typeof Actions)[keyof typeof Actions];

export const ALL_ACTIONS: readonly string[] = Object.values(Actions);
