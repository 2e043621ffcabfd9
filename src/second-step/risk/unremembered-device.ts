import type { RiskRule } from './signals.js';

/** A browser that never passed the second step with "Remember this device" is unknown. */
export const unrememberedDevice: RiskRule = (facts) => (facts.deviceRemembered ? undefined : 'new_device');
