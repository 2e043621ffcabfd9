import type { Screens } from '../src/http/screens.js';
import { errorPage } from './views/error-page.js';
import { logoutConfirmPage, logoutSuccessPage } from './views/logout-pages.js';
import { deviceCodePage, deviceConfirmPage, deviceDonePage } from './views/device-pages.js';

/** The pages this UI layer lends to the protocol core (see src/http/screens.ts). */
export const screens: Screens = {
  errorPage,
  logoutConfirmPage,
  logoutSuccessPage,
  deviceCodePage,
  deviceConfirmPage,
  deviceDonePage,
};
