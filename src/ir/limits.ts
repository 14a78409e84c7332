/**
 * Size caps shared by every front end (DSL, OpenQASM, the ansatz builder), so a pathological
 * input fails at the statement that crosses them with a positioned error instead of exhausting
 * memory or the call stack later.
 */

/** Most qubits a circuit may declare (OpenQASM's historical cap, now the DSL's too). */
export const MAX_QUBITS = 1 << 20;

/**
 * Most parameters (scalars plus vector elements) a circuit may declare: every engine holds a few
 * Float64 vectors of this length, and exporters one name per element.
 */
export const MAX_PARAMETERS = 1 << 22;

/**
 * Deepest nesting of brackets, blocks and gate-definition calls either parser accepts: evaluation
 * recurses as deep as the nesting, and this keeps well inside Node's default stack.
 */
export const MAX_NESTING = 400;
