// commit_message: the task's first line as the subject, the finish summary as the body.
#include "agent/commit_message.hpp"

#include "agent/sinks/edit_stream.hpp"
#include "text/lines.hpp"

namespace ds::agent {

namespace {

constexpr size_t kSubjectChars = 72;

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t chars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += continuation(c) ? 0 : 1;
  return n;
}

}  // namespace

std::string commit_subject(const std::string& task) {
  std::string line;
  for (const auto& l : text::split_lines(task))
    if (auto t = text::trim(l); !t.empty()) {
      line = std::string(t);
      break;
    }
  if (line.empty()) return "diffsmith run";
  if (chars(line) <= kSubjectChars) return line;
  // The byte where character kSubjectChars - 1 starts: room for the "…".
  size_t cut = 0;
  for (size_t n = 0; cut < line.size(); ++cut)
    if (!continuation(line[cut]) && n++ == kSubjectChars - 1) break;
  size_t space = line.rfind(' ', cut);
  if (space != std::string::npos && chars(std::string_view(line).substr(0, space)) >= kSubjectChars / 3)
    cut = space;  // at a word
  std::string subject = std::string(text::rtrim(std::string_view(line).substr(0, cut)));
  while (!subject.empty() && (subject.back() == ',' || subject.back() == ';' || subject.back() == ':'))
    subject.pop_back();
  return subject + "…";
}

std::string commit_message(const std::string& task, const std::string& finish_summary) {
  std::string message = commit_subject(task);
  std::string body;
  for (const auto& l : text::split_lines(EditStream::prose_of(finish_summary))) {
    std::string line(text::rtrim(l));
    if (line.empty() && (body.empty() || body.ends_with("\n\n"))) continue;  // no leading or double blanks
    body += line + "\n";
  }
  while (body.ends_with("\n\n")) body.pop_back();
  if (!body.empty()) message += "\n\n" + body;
  return message;
}

}  // namespace ds::agent
