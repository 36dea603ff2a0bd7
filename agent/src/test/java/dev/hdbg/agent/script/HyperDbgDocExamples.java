package dev.hdbg.agent.script;

import java.util.List;

/**
 * Script examples from HyperDbg's documentation (docs.hyperdbg.org; the HyperDbg/docs repository, v0.23), copied
 * verbatim: each as the page shows it, with its command around it ({@code ?}, {@code !epthook ... script {...}}) and
 * its prompt where the page has one. {@link HyperDbgDocExamplesTest} takes the script out of each as hdbg's commands
 * will, checks them all and runs those that make sense without a real Windows target.
 */
final class HyperDbgDocExamples {
    /**
     * One example: an id for the test, the page it is from ({@code sl/} for
     * docs.hyperdbg.org/commands/scripting-language/,
     * {@code dc/} for .../commands/debugging-commands/), its text.
     */
    record Example(String id, String page, String text) {
        String url() {
            return "https://docs.hyperdbg.org/commands/" + page.replace("sl/", "scripting-language/")
                    .replace("dc/", "debugging-commands/");
        }
    }

    private HyperDbgDocExamples() {
    }

    static final List<Example> ALL = List.of(
            new Example("va-register", "sl/variables-and-assignments",
                    "@rax = 0x55;\n"),
            new Example("va-register-poi", "sl/variables-and-assignments",
                    "@r15 = poi(@rcx);\n"),
            new Example("va-register-if", "sl/variables-and-assignments",
                    "if ( @rcx == 0x55) {\n"
                    + "    @rcx = @rdx + @rax + 12;\n"
                    + "}\n"),
            new Example("va-local-zero", "sl/variables-and-assignments",
                    "my_variable = 0;\n"),
            new Example("va-local-proc", "sl/variables-and-assignments",
                    "my_variable = $proc + 0x10;\n"),
            new Example("va-local-registers", "sl/variables-and-assignments",
                    "my_variable = @rax - @rcx + 8;\n"),
            new Example("va-local-function", "sl/variables-and-assignments",
                    "my_variable = check_address(@rcx);\n"),
            new Example("va-global-zero", "sl/variables-and-assignments",
                    ".my_variable = 0;\n"),
            new Example("va-global-proc", "sl/variables-and-assignments",
                    ".my_variable = $proc + 0x10;\n"),
            new Example("va-global-registers", "sl/variables-and-assignments",
                    ".my_variable = @rax - @rcx + 8;\n"),
            new Example("va-global-function", "sl/variables-and-assignments",
                    ".my_variable = check_address(@rcx);\n"),
            new Example("va-global-step", "sl/variables-and-assignments",
                    ".my_variable++;      // equals to my_variable = my_variable + 1;\n"
                    + ".my_variable--;      // equals to my_variable = my_variable - 1;\n"),
            new Example("va-spinlock", "sl/variables-and-assignments",
                    "//\n"
                    + "// First, we should create a separate global variable as the lock\n"
                    + "//\n"
                    + "spinlock_lock(.my_global_variable_lock);\n"
                    + "\n"
                    + "//\n"
                    + "// Now, it's safe to change the global variable in a multi-core\n"
                    + "// environment\n"
                    + "//\n"
                    + ".my_global_var = 0x1234;\n"
                    + "\n"
                    + "\n"
                    + "//\n"
                    + "// At last, we should release the lock\n"
                    + "//\n"
                    + "spinlock_unlock(.my_global_variable_lock);\n"),
            new Example("va-interlocked", "sl/variables-and-assignments",
                    "interlocked_increment(.my_global_counter);\n"),
            new Example("va-compound", "sl/variables-and-assignments",
                    "t1 = 1;\n"
                    + "t1 +=5;\n"
                    + "\t\n"
                    + "printf(\"t1 is: %x\\n\", t1); // prints 6 (in Hex)\n"
                    + "\t\n"
                    + "t1 <<=5;\n"
                    + "printf(\"t1 is: %d\\n\", t1); // prints 192 (in Decimal)\n"),
            new Example("va-multiple-local", "sl/variables-and-assignments",
                    "t1 = t2 = 85;\n"
                    + "\n"
                    + "printf(\"t1 equals to: 0x%x\\n\", t1); // prints 0x85\n"
                    + "printf(\"t2 equals to: 0x%x\\n\", t2); // prints 0x85\n"),
            new Example("va-multiple-global", "sl/variables-and-assignments",
                    ".gv1 = .gv2 = .gv3 = 85;\n"
                    + "\n"
                    + "printf(\"global variable gv1 equals to: 0x%x\\n\", .gv1); // prints 0x85\n"
                    + "printf(\"global variable gv2 equals to: 0x%x\\n\", .gv2); // prints 0x85\n"
                    + "printf(\"global variable gv3 equals to: 0x%x\\n\", .gv3); // prints 0x85\n"),
            new Example("cl-if", "sl/conditionals-and-loops",
                    "if (@rax == 55) {\n"
                    + "    printf(\"rax is equal to %llx\\n\", @rax);\n"
                    + "}\n"),
            new Example("cl-if-boolean", "sl/conditionals-and-loops",
                    "if (poi(@rcx + 0x10) == ffff7080deadbeef && @rdx != 55 || $pid == 4) {\n"
                    + "    printf(\"condition is met\\n\");\n"
                    + "}\n"),
            new Example("cl-else", "sl/conditionals-and-loops",
                    "if (@rax == 55) {\n"
                    + "    printf(\"rax is equal to %llx\\n\", @rax);\n"
                    + "}\n"
                    + "else {\n"
                    + "    printf(\"rax is not equal to 0x55, it is equal to %llx\\n\", @rax);\n"
                    + "}\n"),
            new Example("cl-elsif", "sl/conditionals-and-loops",
                    "if (@rax == 55) {\n"
                    + "    printf(\"rax is equal to 0x55\\n\");\n"
                    + "}\n"
                    + "elsif (@rax == 66) {\n"
                    + "    printf(\"rax is equal to 0x66\\n\");\n"
                    + "}\n"
                    + "elsif (@rax == 77) {\n"
                    + "    printf(\"rax is equal to 0x77\\n\");\n"
                    + "}\n"
                    + "else {\n"
                    + "    printf(\"rax is not equal to 0x55, 0x66, 0x77. It is equal to %llx\\n\", @rax);\n"
                    + "}\n"),
            new Example("cl-for", "sl/conditionals-and-loops",
                    "for (i = 10; i != 0; i--) { \n"
                    + "    printf(\"%d\\n\", i); \n"
                    + "}\n"),
            new Example("cl-for-nested", "sl/conditionals-and-loops",
                    "for (i = 0; i < 10 ; i++) {\n"
                    + "    for (j = 0; j < 10; j++) {\n"
                    + "        printf(\"%d, %d\\n\", i, j); \n"
                    + "   }\n"
                    + " }\n"),
            new Example("cl-while", "sl/conditionals-and-loops",
                    "x = 55;\n"
                    + "while (x) {\n"
                    + "    printf(\"x = %x\\n\", x);\n"
                    + "    x = x - 1;\n"
                    + "}\n"),
            new Example("cl-do-while", "sl/conditionals-and-loops",
                    "x = 55;\n"
                    + "do {\n"
                    + "    printf(\"x = %x\\n\", x);\n"
                    + "    x = x - 1;\n"
                    + "} while (x);\n"),
            new Example("cf-void", "sl/constants-and-functions",
                    "? {\n"
                    + "    \n"
                    + "  void my_func(int var, int var2) {\n"
                    + "    printf(\"var = %d, var2 = %d\\n\", var, var2);\n"
                    + "    return;\n"
                    + "    printf(\"this statement is never shown!\\n\");\n"
                    + "  }\n"
                    + "  \n"
                    + "  for (int i = 0; i < 3; i++) {\n"
                    + "    my_func(1, 2);\n"
                    + "  }\n"
                    + "\n"
                    + "  int my_var = 79;\n"
                    + "  printf(\"%x\\n\", my_var);\n"
                    + "}\n"),
            new Example("cf-int", "sl/constants-and-functions",
                    "? {\n"
                    + "    \n"
                    + "  int my_func1(int var1) {\n"
                    + "    result = var1 + 1;\n"
                    + "    printf(\"my_func1 %d\\n\", result);\n"
                    + "    return result;\n"
                    + "  }\n"
                    + "  \n"
                    + "  int my_func2(int var1) {\n"
                    + "    result = var1 * 2;\n"
                    + "    printf(\"my_func2 %d\\n\", result);\n"
                    + "    return result;\n"
                    + "  }\n"
                    + "  \n"
                    + "  int my_func3(int var1) {\n"
                    + "    result = var1 * 2;\n"
                    + "    printf(\"my_func3 %d\\n\", result);\n"
                    + "    return result;\n"
                    + "  }\n"
                    + "  \n"
                    + "  int my_func4(int var1) {\n"
                    + "    result = my_func1(var1) + my_func2(var1) + my_func3(var1);\n"
                    + "    printf(\"my_func4 %d\\n\", result);\n"
                    + "    return result;\n"
                    + "  }\n"
                    + "\n"
                    + "  printf(\"%d\\n\", my_func4(2));\n"
                    + "}\n"),
            new Example("cf-fibonacci-recursive", "sl/constants-and-functions",
                    "? {\n"
                    + "\n"
                    + "  int my_func(int var1) {\n"
                    + "    if (var1 == 0) {\n"
                    + "      return 0;\n"
                    + "    }\n"
                    + "    if (var1 == 1) {\n"
                    + "      return 1;\n"
                    + "    }\n"
                    + "    return my_func(var1 - 1) + my_func(var1 - 2);\n"
                    + "  }\n"
                    + "  \n"
                    + "  var = my_func(9);\n"
                    + "  printf(\"%d\", var);\n"
                    + "}\n"),
            new Example("cf-fibonacci-iterative", "sl/constants-and-functions",
                    "? {\n"
                    + "\n"
                    + "  int my_func(int varn) {\n"
                    + "      \n"
                    + "    int varf0 = 0;\n"
                    + "    int varf1 = 1;\n"
                    + "    int varfn = 0; //comment\n"
                    + "\n"
                    + "    if (varn == 0) {\n"
                    + "      return varf0;\n"
                    + "    }\n"
                    + "    if (varn == 1) {\n"
                    + "      return varf1;\n"
                    + "    }\n"
                    + "\n"
                    + "    int i = 0;\n"
                    + "    \n"
                    + "    for (i = 2; i <= varn; i++) {\n"
                    + "      varfn = varf0 + varf1;\n"
                    + "      varf0 = varf1;\n"
                    + "      varf1 = varfn;\n"
                    + "    }\n"
                    + "    return varfn;\n"
                    + "  }\n"
                    + "  \n"
                    + "  printf(\"%d\", my_func(9));\n"
                    + "}\n"),
            new Example("dt-int", "sl/data-types-and-operators",
                    "? {\n"
                    + "    int x = 0n42;\n"
                    + "    int y = 0n100;\n"
                    + "    printf(\"x = %d, y = %d\\n\", x, y);\n"
                    + "}\n"),
            new Example("dt-int-loop", "sl/data-types-and-operators",
                    "? {\n"
                    + "    int sum = 0;\n"
                    + "    for (int i = 1; i <= 5; i++) {\n"
                    + "        sum += i;\n"
                    + "    }\n"
                    + "    printf(\"sum of 1..5 = %d\\n\", sum);\n"
                    + "}\n"),
            new Example("ae-comment-block", "sl/assumptions-and-evaluations",
                    "/*\n"
                    + " * comment goes here\n"
                    + " */\n"),
            new Example("ae-comment-line", "sl/assumptions-and-evaluations",
                    "// comment goes here\n"),
            new Example("ae-eq", "sl/assumptions-and-evaluations",
                    "IsEditApplied = eq(fffff8031d44fde0, 0x12345678deadbeef);\n"),
            new Example("ae-eb", "sl/assumptions-and-evaluations",
                    "IsEditApplied = eb(poi(@rcx)+8, 0x90);\n"),
            new Example("ds-hello", "sl/debugger-script",
                    "? {\t\n"
                    + "\tprintf(\"Hello World\\n\");\n"
                    + "\tprintf(\"The first argument is : %llx\\n\", $arg1);\n"
                    + "\tprintf(\"Result of rax + rbx is : %llx\\n\", $arg2);\n"
                    + "}\n"),
            new Example("ds-syscall", "sl/debugger-script",
                    "!syscall pid $arg1 script { \n"
                    + "\tif (@rax == $arg2) {\n"
                    + "\t\t\tprintf(\"[%llx:%llx] Syscall num: %llx, arg1: %llx, arg2: %llx, arg3: %llx, arg4: %llx\\n\", $pid, $tid, @rax, @rcx, @rdx, @r8, @r9);\n"
                    + "\t}\n"
                    + "}\n"),
            new Example("ev-printf", "dc/eval",
                    "0: kHyperDbg> ? printf(\"The RAX register is: %llx at Process Name: %s (pid: %x)\", @rax, $pname, $pid);\n"),
            new Example("ev-registers", "dc/eval",
                    "0: kHyperDbg> ? @rax = 0x55;\t        // change the RAX register value\n"
                    + "\n"
                    + "0: kHyperDbg> ? @cr0 = @cr0 | 0x4;        // set the third bit of CR0 register\n"
                    + "\n"
                    + "0: kHyperDbg> ? @zf = 1;   \t        // set the Zero Flag\n"
                    + "\n"
                    + "0: kHyperDbg> ? @ebx = @ecx + 10 + @ax;   // set the value of EBX register\n"),
            new Example("ev-if", "dc/eval",
                    "0: kHyperDbg> ? {\n"
                    + "    if (@rax == 55) {\n"
                    + "    \t     printf(\"rax is equal to 0x55\");\n"
                    + "    }\n"
                    + "}\n"
                    + "\n"
                    + "0: kHyperDbg> ? {\n"
                    + "    if (poi(@rcx + 0x10) == ffff7080deadbeef && @rdx != 55 || $pid == 4) {\n"
                    + "    \t     printf(\"condition is met\\n\");\n"
                    + "    }\n"
                    + "}\n"
                    + "\n"
                    + "0: kHyperDbg> ? {\n"
                    + "    if (check_address(@r11) == 1) { \n"
                    + "    \t     printf(\"address is valid.\\n\");\n"
                    + "    }\n"
                    + "    else\n"
                    + "    {\n"
                    + "\t     printf(\"address is invalid.\\n\");\n"
                    + "    }\n"
                    + "}\n"),
            new Example("ev-for", "dc/eval",
                    "0: kHyperDbg> ? {\n"
                    + "for (i = 0; i < 10 ; i++) {\n"
                    + "       for (j = 0; j < 10; j++) {\n"
                    + "       \t  printf(\"%d, %d\\n\", i, j); \n"
                    + "       }\n"
                    + "    }\n"
                    + " }\n"),
            new Example("ev-eq", "dc/eval",
                    "0: kHyperDbg> ? {\n"
                    + "\n"
                    + "\tif (eq(@r11, 0x12345678deadbeef) == 1) { \n"
                    + "\t    printf(\"changes are applied.\\n\");\n"
                    + "\t}\n"
                    + "\telse {\n"
                    + "            printf(\"changes are NOT applied.\\n\");\n"
                    + "\t}\n"
                    + "}\n"),
            new Example("ev-arguments", "dc/eval",
                    "? { \n"
                    + "      printf(\"First argument is : %llx\\n\", $arg1);\n"
                    + "      printf(\"Result of rax + rbx is : %llx\\n\", $arg2);\n"
                    + "}\n"),
            new Example("ex-shared-variable", "sl/examples/access-to-a-shared-variable-from-different-cores",
                    "? .my_lock = 0;\n"
                    + "? .my_counter = 0;\n"
                    + "\n"
                    + "!syscall script {\n"
                    + "\n"
                    + "if ($context == 0x55) {\n"
                    + "\n"
                    + "\tspinlock_lock(&.my_lock); \n"
                    + "\t\n"
                    + "\t.my_counter = .my_counter + 1;\n"
                    + "\tprintf(\"NtCreateFile syscall (0x0055) is called %llx times\\n\", .my_counter);\n"
                    + "\t\n"
                    + "\tspinlock_unlock(&.my_lock);\n"
                    + "\n"
                    + "\t}\n"
                    + "}\n"),
            new Example("ex-state-ebx", "sl/examples/change-system-state-registers-memory-variables",
                    "? @ebx = @rdx | 0xfffff550 + @edx;\n"),
            new Example("ex-state-cr3", "sl/examples/change-system-state-registers-memory-variables",
                    "? @cr3 =  0xff00ee;\n"),
            new Example("ex-state-rip-rsp", "sl/examples/change-system-state-registers-memory-variables",
                    "? @rip =  0xfffff8003ad6f010; @rsp = fffff800`5b660000;\n"),
            new Example("ex-state-global", "sl/examples/change-system-state-registers-memory-variables",
                    "? .my_global_var =  @rax + @edx;\n"),
            new Example("ex-state-local", "sl/examples/change-system-state-registers-memory-variables",
                    "? my_local_var =  @rax + @edx;\n"),
            new Example("ex-state-eq", "sl/examples/change-system-state-registers-memory-variables",
                    "eq(fffff8031d44fde0, 0x12345678deadbeef);\n"),
            new Example("ex-state-check-address", "sl/examples/change-system-state-registers-memory-variables",
                    "if (check_address(@r11) == 1) \n"
                    + "{ \n"
                    + "    printf(\"address is valid.\\n\");\n"
                    + "}\n"
                    + "else \n"
                    + "{\n"
                    + "    printf(\"address is invalid.\\n\");\n"
                    + "}\n"),
            new Example("ex-conditional-breakpoint", "sl/examples/conditional-breakpoints-and-events",
                    "!epthook nt!ExAllocatePoolWithTag script {\n"
                    + "\n"
                    + "\tif (poi(@rsp) == nt!CmpAllocatePoolWithTag+0x9) {\n"
                    + "\t\tpause();\n"
                    + "\t}\n"
                    + "}\n"),
            new Example("ex-count-occurrences", "sl/examples/count-occurrences-of-events",
                    "!exception 0xe pid 4 script {\n"
                    + "\t\n"
                    + "\t.Result = interlocked_increment(&.my_counter);\n"
                    + "}\n"),
            new Example("ex-patch-zf", "sl/examples/patch-the-normal-sequence-of-execution",
                    "!epthook 004C5A1C pid 225c script {\n"
                    + "\t@zf = 0;\n"
                    + "}\n"),
            new Example("ex-pause-on-file", "sl/examples/pause-the-debugger-conditionally",
                    "!epthook nt!NtCreateFile script {\n"
                    + "\tif(wcscmp(L\"\\\\??\\\\C:\\\\folder\\\\test.txt\",poi(poi(@r8+10)+8)) == 0){\n"
                    + "\t\tpause();\n"
                    + "\t}\n"
                    + "}\n"),
            new Example("ex-trace-calls", "sl/examples/trace-function-calls",
                    "!epthook nt!NtOpenFile script {\n"
                    + "\tprintf(\"%ws\\n\", dq(poi(r8 + 10) + 0x8));\n"
                    + "}\n"),
            new Example("ex-view-string", "sl/examples/view-system-state",
                    "? printf(\"Result : %s\", @rcx);\n"),
            new Example("ex-view-pname", "sl/examples/view-system-state",
                    "? printf(\"Process name: %s\", $pname);\n"),
            new Example("ex-view-dq", "sl/examples/view-system-state",
                    "? print(dq(@rcx));\n"),
            new Example("ex-view-proc", "sl/examples/view-system-state",
                    "? print($proc+@rdx);\n"),
            new Example("ex-view-poi", "sl/examples/view-system-state",
                    "? print(poi(@rax+a0));\n"),
            new Example("ex-view-symbol", "sl/examples/view-system-state",
                    "? print(dw(NtCreateFile+10));\n"),
            new Example("ex-view-nested", "sl/examples/view-system-state",
                    "? print(dw(NtCreateFile+@rcx+($proc|3+poi(poi(@rax)))));\n"),
            new Example("fn-pause", "sl/functions/debugger/pause",
                    "pause();"),
            new Example("fn-disassemble-len", "sl/functions/diassembler/disassemble_len",
                    "InstrLength = disassemble_len(@rip + 10);\n"),
            new Example("fn-disassemble-len32", "sl/functions/diassembler/disassemble_len32",
                    "InstrLength = disassemble_len32(@eip + 10);\n"),
            new Example("fn-event-disable", "sl/functions/events/event_disable",
                    "!epthook nt!ExAllocatePoolWithTag script {\n"
                    + " event_disable($event_id);\n"
                    + "}\n"),
            new Example("fn-event-enable", "sl/functions/events/event_enable",
                    "event_enable(1);"),
            new Example("fn-event-clear", "sl/functions/events/event_clear",
                    "!epthook nt!ExAllocatePoolWithTag script {\n"
                    + " event_clear($event_id);\n"
                    + "}\n"),
            new Example("fn-event-sc", "sl/functions/events/event_sc",
                    "event_sc(1);"),
            new Example("fn-flush", "sl/functions/events/flush",
                    "flush();"),
            new Example("fn-print", "sl/functions/exports/print",
                    "print(@rcx);"),
            new Example("fn-print-dq", "sl/functions/exports/print",
                    "print(dq(@rcx));"),
            new Example("fn-printf", "sl/functions/exports/printf",
                    "printf(\"Result is %s\", @rcx);"),
            new Example("fn-interlocked-increment", "sl/functions/interlocked/interlocked_increment",
                    "Result = interlocked_increment(.my_gloabl_counter);"),
            new Example("fn-interlocked-decrement", "sl/functions/interlocked/interlocked_decrement",
                    "Result = interlocked_decrement(.my_gloabl_counter);"),
            new Example("fn-interlocked-exchange-add", "sl/functions/interlocked/interlocked_exchange_add",
                    "Result = interlocked_exchange_add(.my_gloabl_counter, 0x55);"),
            new Example("fn-check-address", "sl/functions/memory/check_address",
                    "if (check_address(@r11) == 1) \n"
                    + "{ \n"
                    + "    printf(\"address is valid.\\n\");\n"
                    + "}\n"
                    + "else \n"
                    + "{\n"
                    + "    printf(\"address is invalid.\\n\");\n"
                    + "}\n"),
            new Example("fn-check-address-dq", "sl/functions/memory/check_address",
                    "IsValid = check_address(dq(@rcx));"),
            new Example("fn-eq-if", "sl/functions/memory/eb-ed-eq",
                    "if (eq(@r11, 0x12345678deadbeef) == 1) \n"
                    + "{ \n"
                    + "\tprintf(\"changes are applied.\\n\");\n"
                    + "}\n"
                    + "else \n"
                    + "{\n"
                    + "\tprintf(\"changes are NOT applied.\\n\");\n"
                    + "}\n"),
            new Example("fn-eq-pa", "sl/functions/memory/eb_pa-ed_pa-eq_pa",
                    "IsEditApplied = eq_pa(1d44fde0, 0x12345678deadbeef);"),
            new Example("fn-eb-pa", "sl/functions/memory/eb_pa-ed_pa-eq_pa",
                    "IsEditApplied = eb_pa(poi(@rcx)+8, 0x90);"),
            new Example("fn-memcmp", "sl/functions/memory/memcmp",
                    "memcmp(@rcx, \"Test1\", 5);"),
            new Example("fn-memcpy", "sl/functions/memory/memcpy",
                    "memcpy($buffer, @rsp, 16);"),
            new Example("fn-memcpy-pa", "sl/functions/memory/memcpy_pa",
                    "memcpy_pa(6de00000 , @rax, 40);"),
            new Example("fn-virtual-to-physical", "sl/functions/memory/virtual_to_physical",
                    "PhysAddr = virtual_to_physical(@rip + 10);"),
            new Example("fn-spinlock-lock", "sl/functions/spinlocks/spinlock_lock",
                    "spinlock_lock(&.my_lock);"),
            new Example("fn-spinlock-custom-wait", "sl/functions/spinlocks/spinlock_lock_custom_wait",
                    "spinlock_lock_custom_wait(&.my_lock, 500);"),
            new Example("fn-spinlock-unlock", "sl/functions/spinlocks/spinlock_unlock",
                    "spinlock_unlock(&.my_lock_var);"),
            new Example("fn-strcmp", "sl/functions/strings/strcmp",
                    "strcmp(@rcx, \"Test String\");"),
            new Example("fn-strcmp-literals", "sl/functions/strings/strcmp",
                    "strcmp(\"Test String1\", \"Test String2\");"),
            new Example("fn-strlen", "sl/functions/strings/strlen",
                    "StringLen = strlen(\"ABCD\");"),
            new Example("fn-strlen-invalid", "sl/functions/strings/strlen",
                    "StringLen = strlen(0xffff83811f265040);"),
            new Example("fn-strncmp", "sl/functions/strings/strncmp",
                    "strncmp(@rcx, \"Test String\", b);"),
            new Example("fn-strncmp-literals", "sl/functions/strings/strncmp",
                    "strncmp(\"Test String1\", \"Test String2\", 0n7);"),
            new Example("fn-wcscmp", "sl/functions/strings/wcscmp",
                    "wcscmp(@rcx, L\"Test WString\");"),
            new Example("fn-wcslen", "sl/functions/strings/wcslen",
                    "StringLen = wcslen(L\"ABCD\");"),
            new Example("fn-wcsncmp", "sl/functions/strings/wcsncmp",
                    "wcsncmp(L\"Test WString1\", L\"Test WString2\", 0n10);"),
            new Example("fn-microsleep", "sl/functions/timings/microsleep",
                    "!epthook 0x7ff129000 script {\n"
                    + "    microsleep(100); // pause (sleep) the execution for 100 microseconds\n"
                    + "}\n"),
            new Example("fn-rdtsc", "sl/functions/timings/rdtsc",
                    "? current_core_tsc = rdtsc();"),
            new Example("fn-rdtscp", "sl/functions/timings/rdtscp",
                    "? current_core_tsc = rdtscp();"));
}
