/*
 * CEditLine: the parts of libedit (and two libc calls) that ansinh needs,
 * in a form Swift can call.
 *
 * el_set, el_wset, el_get, history_w and ioctl are C variadic functions,
 * which Swift refuses to call ("Variadic function is unavailable"). A
 * systemLibrary target cannot hold .c files, so every wrapper is a
 * `static inline` function that the Clang importer compiles into the client.
 * The stdin/stdout/stderr globals are also only touched here, which keeps
 * Swift 6 strict concurrency from flagging them as shared mutable state.
 */
#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H

#include <stdio.h>
#include <stdlib.h>
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <histedit.h>

/* Prompt callback for EL_PROMPT_ESC (wide). */
typedef wchar_t *(*cedit_wprompt_fn)(EditLine *);
/* User function for EL_ADDFN; returns one of the CC_* codes. */
typedef unsigned char (*cedit_cmd_fn)(EditLine *, int);

/* ---- set-up ------------------------------------------------------------ */

static inline EditLine *cedit_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}
/* nl_langinfo(CODESET) of the current LC_CTYPE, never NULL. */
static inline const char *cedit_codeset(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs ? cs : "";
}
static inline int cedit_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}
static inline int cedit_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}
/* Wide prompt; text between two `esc` characters is printed but not counted. */
static inline int cedit_set_wprompt_esc(EditLine *el, cedit_wprompt_fn fn, wchar_t esc) {
    return el_wset(el, EL_PROMPT_ESC, fn, (int)esc);
}
static inline int cedit_set_clientdata(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}
static inline void *cedit_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}
static inline int cedit_set_hist_w(EditLine *el, HistoryW *h) {
    return el_wset(el, EL_HIST, history_w, h);
}
static inline int cedit_addfn(EditLine *el, const char *name, const char *help, cedit_cmd_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int cedit_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}
/* The function libedit reads each character through (wide): 1 and a character, 0 at end of
 * input, -1 on error (errno set). */
typedef int (*cedit_getc_fn)(EditLine *, wchar_t *);
static inline int cedit_set_getcfn(EditLine *el, cedit_getc_fn fn) {
    return el_wset(el, EL_GETCFN, fn);
}
/* e.g. cedit_setty(el, "-d", "-isig"): change only the edit-mode termios. */
static inline int cedit_setty(EditLine *el, const char *a, const char *b) {
    return el_set(el, EL_SETTY, a, b, (const char *)NULL);
}

/* ---- output ------------------------------------------------------------ */

/* Writes through libedit's own output FILE and flushes it. */
static inline void cedit_write(EditLine *el, const char *text) {
    FILE *fp = NULL;
    if (el_get(el, EL_GETFP, 1, &fp) != 0 || fp == NULL) fp = stdout;
    fputs(text, fp);
    fflush(fp);
}

/* ---- history (wide) ----------------------------------------------------- */

static inline int cedit_hw_setsize(HistoryW *h, int size) {
    HistEventW ev; return history_w(h, &ev, H_SETSIZE, size);
}
static inline int cedit_hw_enter(HistoryW *h, const wchar_t *entry) {
    HistEventW ev; return history_w(h, &ev, H_ENTER, entry);
}
static inline int cedit_hw_clear(HistoryW *h) {
    HistEventW ev; return history_w(h, &ev, H_CLEAR);
}
static inline int cedit_hw_count(HistoryW *h) {
    HistEventW ev; return history_w(h, &ev, H_GETSIZE) == -1 ? -1 : ev.num;
}

/* ---- terminal ----------------------------------------------------------- */

/* Terminal cells a character takes (0 for combining marks, 2 for wide ones, -1 when not
 * printable), following LC_CTYPE. wchar.h declares wcwidth only under _XOPEN_SOURCE, which the
 * Glibc module is not built with, so it is declared here. */
int wcwidth(wchar_t c);
static inline int cedit_wcwidth(wchar_t c) { return wcwidth(c); }

/* Columns of the terminal on `fd` (TIOCGWINSZ), or -1 when unknown. */
static inline int cedit_terminal_columns(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) return -1;
    return (int)ws.ws_col;
}

#endif
