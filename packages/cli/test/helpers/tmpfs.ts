// The recorder's tmpfs runner (a real tmpfs in a private mount namespace), shared with the CLI's end-to-end disk test.
export { requireTmpfs, runOnTmpfs } from '../../../recorder/test/helpers/tmpfs.js'
export type { TmpfsRun } from '../../../recorder/test/helpers/tmpfs.js'
