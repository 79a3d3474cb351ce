#include <stdio.h>
#include <editline/readline.h>

// Swift 6 refuses to assign libedit's mutable C globals directly (shared mutable state);
// these setters do it on the C side.
static inline void sapro_set_completion(rl_completion_func_t *fn) {
    rl_attempted_completion_function = fn;
}
static inline void sapro_set_completion_append(int ch) {
    rl_completion_append_character = ch;
}
static inline void sapro_set_readline_name(const char *name) {
    rl_readline_name = name;
}
static inline void sapro_set_catch_signals(int on) {
    rl_catch_signals = on;
}
