/**
 * Twofold's programmatic interface, what `import {build} from 'twofold'` gives: the one build function the
 * command runs, the command itself, and the types of what they take and give.
 */
export {type BuildOptions, type BuildResult, build, type ProgressListener, type WrittenFile} from './build.js'
export {type MainOptions, main} from './cli/index.js'
export {formatMessages} from './messages.js'
export type {Book, BookMeta, Chapter, ChapterPlace, CoverImage} from './types.js'
