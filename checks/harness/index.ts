/** The check harness: everything a lesson's checks need, from one import. */
export { useLesson, StepContext } from './step-context.js';
export { defineLesson, stepTitle, type LessonMeta, type StepMeta } from '../../common/lesson-meta.js';
export { CheckFailure } from './failure.js';
export { connectInMemory, connectServer, linkInMemory, connectStdio, connectHttp, ANSWER_TIMEOUT_MS, CHECK_CLIENT } from './connect.js';
export { request, listTools, requireTool, callTool, textOf, show } from './requests.js';
export { NotificationLog } from './notifications.js';
export { Recorder } from './recorder.js';
export { RawStdioServer, parseJson } from './process.js';
export { listenOnLoopback } from './http.js';
export { cleanupAfterCheck } from './teardown.js';
export { listPrompts, requirePrompt, getPrompt, getPromptError, complete, promptText, showMessages } from './prompts.js';
export { startAuthServer, TASK_SCOPES, type AuthServer, type AuthServerOptions, type MintOptions } from './auth-server.js';
