export { default } from '@dccd/tsup-config'
