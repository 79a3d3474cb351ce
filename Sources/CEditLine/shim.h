#include <stdio.h>
#include <editline/readline.h>

// Swift 6 refuses to touch libedit's mutable C globals directly (shared mutable state);
// these accessors do it on the C side.
static inline void sapro_set_completion(rl_completion_func_t *fn) {
    rl_attempted_completion_function = fn;
}
static inline void sapro_set_completion_over(int over) {
    rl_attempted_completion_over = over;
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
static inline const char *sapro_line_buffer(void) {
    return rl_line_buffer;
}
