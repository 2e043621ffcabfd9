/** Whether the operator passed a node flag matching `flag` (on its command line or in NODE_OPTIONS). */
export const setByOperator = (flag: RegExp) =>
  [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) => flag.test(arg));
