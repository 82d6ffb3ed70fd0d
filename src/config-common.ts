// The variables both profiles read, composed from the wings (each wing has its own module: config-<wing>.ts).
import { z } from 'zod';
import { SERVER_VARS } from './config-bot.js';
import { GRAPH_VARS } from './config-graph.js';
import { HELPDESK_VARS } from './config-helpdesk.js';
import { NETWORK_VARS } from './config-network.js';
import { READINESS_VARS } from './config-readiness.js';
import { SLACK_VARS } from './config-slack.js';
import { STORAGE_VARS } from './config-storage.js';

export const COMMON_VARS = {
  ...SERVER_VARS,
  ...STORAGE_VARS,
  // Who people are sent to when the bot cannot help (named in its messages).
  HELPDESK_CONTACT: z.string().trim().min(3).max(200).default('your IT helpdesk'),
  ...HELPDESK_VARS,
  ...SLACK_VARS,
  ...READINESS_VARS,
  ...NETWORK_VARS,
  ...GRAPH_VARS,
};
