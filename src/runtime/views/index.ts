/**
 * The views: pure functions from a session state (and its event log) to text or JSON, one verb per file.
 * Every function takes the clock as `nowMs` (epoch ms) so output is reproducible.
 */
export { formatStatus, STATUS_LIST_LIMIT } from './status.ts';
export { renderDashboard, type DashboardOptions } from './dashboard.ts';
export { runWatch, watchFrame, CLEAR_SCREEN, type WatchOptions, type WatchRender } from './watch.ts';
export { formatEvents, tailEvents, DEFAULT_TAIL } from './events.ts';
export { completionReport, renderReportMarkdown, type CompletionReport } from './report.ts';
export { consolidate, renderConsolidatedMarkdown, type ConsolidatedReport, type ConsolidatedTicket } from './consolidate.ts';
export { analyzeBlockers, formatBlockers, DEFAULT_STALL_MINUTES, type BlockerAnalysis, type BlockerFinding, type BlockerKind, type BlockerOptions } from './blockers.ts';
export { formatSchedule, SCHEDULE_LIST_LIMIT } from './schedule-text.ts';
export { attemptsOf, type Attempt } from './attempts.ts';
export { progressOf, sessionEta, groupsOf, agentRows, attemptStarts, observedDurations, type ProgressSummary, type AgentRow, type GroupInfo } from './derive.ts';
