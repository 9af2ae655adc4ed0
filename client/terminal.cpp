#include "terminal.hpp"

#include <readline/history.h>
#include <readline/readline.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

namespace vraagbaak::client {
namespace {

// readline's callback interface is C: one global handler, so one editor at a time.
std::function<void(std::string)> g_on_line;
std::function<void()> g_on_eof;
std::string g_prompt;
// While the line handler runs, readline draws the prompt itself once the handler returns, so
// output then must not redraw it too.
bool g_in_handler = false;

void handle_line(char* line) {
    if (!line) {
        if (g_on_eof) g_on_eof();
        return;
    }
    std::string text(line);
    std::free(line);
    // readline keeps the submitted line in its buffer until the handler returns; output printed
    // meanwhile would redraw it after the prompt. The line is handled, so clear it now.
    rl_replace_line("", 0);
    if (!text.empty()) add_history(text.c_str());
    g_in_handler = true;
    if (g_on_line) g_on_line(std::move(text));
    g_in_handler = false;
}

}  // namespace

LineEditor::LineEditor(std::string prompt, std::function<void(std::string)> on_line,
                       std::function<void()> on_eof) {
    g_on_line = std::move(on_line);
    g_on_eof = std::move(on_eof);
    g_prompt = std::move(prompt);
    rl_callback_handler_install(g_prompt.c_str(), handle_line);
}

LineEditor::~LineEditor() {
    rl_callback_handler_remove();
    g_on_line = nullptr;
    g_on_eof = nullptr;
}

void LineEditor::read_available() { rl_callback_read_char(); }

void LineEditor::print_above(const std::string& line) {
    // Take the prompt and the pending input off the screen, print, and put them back: the user
    // keeps typing where they were.
    rl_clear_visible_line();
    std::fputs(line.c_str(), stdout);
    std::fputs("\n", stdout);
    std::fflush(stdout);
    if (g_in_handler) return;
    rl_on_new_line();
    rl_redisplay();
}

void LineEditor::set_prompt(std::string prompt) {
    g_prompt = std::move(prompt);
    rl_set_prompt(g_prompt.c_str());
    if (!g_in_handler) rl_redisplay();
}

void LineEditor::prefill(const std::string& text) {
    rl_replace_line(text.c_str(), 0);
    rl_point = rl_end;
    if (!g_in_handler) rl_redisplay();
}

std::string read_password(const std::string& prompt) {
    if (!isatty(STDIN_FILENO)) return {};
    std::cerr << prompt << std::flush;
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::string password;
    std::getline(std::cin, password);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return password;
}

}  // namespace vraagbaak::client
