#pragma once
// Interactive terminal I/O: line editing with history through GNU readline
// (callback mode, so incoming events can be printed while the user types), and a password
// prompt without echo.

#include <functional>
#include <string>

namespace vraagbaak::client {

class LineEditor {
public:
    // Installs the prompt; `on_line` gets each entered line, `on_eof` Ctrl-D. One instance at a time.
    LineEditor(std::string prompt, std::function<void(std::string)> on_line, std::function<void()> on_eof);
    ~LineEditor();
    LineEditor(const LineEditor&) = delete;
    LineEditor& operator=(const LineEditor&) = delete;

    // Call when stdin is readable.
    void read_available();
    // Prints a line above the prompt without disturbing what the user is typing.
    void print_above(const std::string& line);
    void set_prompt(std::string prompt);
    // Puts text in the input line for the user to edit (e.g. a post the server refused).
    void prefill(const std::string& text);
};

// Reads a line from the terminal with echo off. Empty when stdin is not a terminal.
std::string read_password(const std::string& prompt);

}  // namespace vraagbaak::client
