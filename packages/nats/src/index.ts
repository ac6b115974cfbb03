export { DEFAULT_SUBJECT_PREFIX, decodeToken, encodeToken, parseSubject, subjectOf } from './subject.js'
export { messageId } from './message-id.js'
