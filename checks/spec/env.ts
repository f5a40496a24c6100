/** How `npm run spec` tells checks/spec/spec.test.ts what to check (the check threads inherit the environment). */

/** The spec to check: an absolute path. */
export const SPEC_ENV = 'COURSE_SPEC';
/** A server command that overrides the spec's front matter (`--server`). */
export const SPEC_SERVER_ENV = 'COURSE_SPEC_SERVER';
/** The folder `--server`'s command runs in (where the learner typed it); the spec's own folder for its front matter's. */
export const SPEC_CWD_ENV = 'COURSE_SPEC_CWD';
