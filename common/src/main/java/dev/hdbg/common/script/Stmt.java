package dev.hdbg.common.script;

import java.util.List;

/** A statement of a script. An assignment target is a {@link Expr.Register}, {@link Expr.Global} or variable. */
public sealed interface Stmt {
    Pos pos();

    /** {@code a = b = value;}: the value is computed once and given to every target, left to right. */
    record Assign(Pos pos, List<Expr> targets, Expr value) implements Stmt {
        public Assign {
            targets = List.copyOf(targets);
        }
    }

    /** {@code target op= value;} */
    record CompoundAssign(Pos pos, Expr target, BinaryOp op, Expr value) implements Stmt {
    }

    /** {@code target++;} or {@code target--;} */
    record Step(Pos pos, Expr target, boolean increment) implements Stmt {
    }

    /** {@code *address = value;}: the 8 bytes at the address. */
    record Store(Pos pos, Expr address, Expr value) implements Stmt {
    }

    /** A call made for what it does: {@code printf(...)}, {@code pause()}, {@code my_function(1)}. */
    record Evaluate(Pos pos, Expr call) implements Stmt {
    }

    /** {@code if (...) {...} elsif (...) {...} else {...}}: {@code otherwise} is null without an else. */
    record If(Pos pos, List<Branch> branches, Block otherwise) implements Stmt {
        public If {
            branches = List.copyOf(branches);
        }
    }

    record Branch(Expr condition, Block body) {
    }

    record While(Pos pos, Expr condition, Block body) implements Stmt {
    }

    record DoWhile(Pos pos, Block body, Expr condition) implements Stmt {
    }

    /** {@code for (init; condition; step) {...}}: each of the three is null when left out (no condition is true). */
    record For(Pos pos, Stmt init, Expr condition, Stmt step, Block body) implements Stmt {
    }

    record Break(Pos pos) implements Stmt {
    }

    record Continue(Pos pos) implements Stmt {
    }

    /** {@code return;} or {@code return value;}: value is null in the first. */
    record Return(Pos pos, Expr value) implements Stmt {
    }

    record Block(Pos pos, List<Stmt> statements) implements Stmt {
        public Block {
            statements = List.copyOf(statements);
        }
    }
}
