export { runAnalysis, conclusions, DEFAULT_SIGMAS as ANALYZE_DEFAULT_SIGMAS, DEFAULT_EPS as ANALYZE_DEFAULT_EPS, DEFAULT_TIME_BUDGET } from './analyze.js';
export type { AnalyzeInput, AnalysisData, AnalysisResult, SigmaRow } from './analyze.js';
export { TimeBudget, SectionBudget, DeadlineExceeded, type SkippedItem } from './budget.js';
export { verdicts, type Verdict as AnalysisVerdict, type VerdictKind } from './summary.js';
export { randomCircuitRms, VANISHING_FACTOR, VANISHING_LEVEL } from './trainability.js';
export { figures, type Figure } from './plots.js';
export { writeReport, snakeKeys, type WrittenReport } from './write.js';
