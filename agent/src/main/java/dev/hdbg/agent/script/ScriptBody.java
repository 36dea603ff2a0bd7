package dev.hdbg.agent.script;

/** What each compiled script's hidden class implements: its main part, run once per trigger. */
interface ScriptBody {
    /**
     * Runs the script.
     *
     * @param host   the trigger's side of the contract
     * @param locals the core's array: budget, call depth, then the script's locals ({@link ScriptRuntime})
     * @return the value of the expression for a script checked as one ({@code ?}), else 0
     */
    long run(ScriptHost host, long[] locals);
}
