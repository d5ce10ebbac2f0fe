// V4A parser: sections, chunks and scopes, the lenient wrappers (heredoc,
// fence, JSON string, {"input": ...}), and every error case of
// edit-formats.md section 2.
#include <catch2/catch.hpp>
#include <string>

#include "edit/v4a_parser.hpp"

using ds::edit::parse_v4a;
using ds::edit::ParsedEdits;
using ds::edit::PatchOpKind;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The chunk's lines as "<kind><text>" strings, to compare in one CHECK.
std::vector<std::string> flat(const ds::edit::PatchChunk& c) {
  std::vector<std::string> out;
  for (const auto& l : c.lines) out.push_back(std::string(1, l.kind) + l.text);
  return out;
}

const char* kFullPatch =
    "*** Begin Patch\n"
    "*** Update File: src/app.py\n"
    "@@ class App\n"
    "@@     def run(self):\n"
    " context line\n"
    "-old line\n"
    "+new line\n"
    " context line\n"
    "*** Add File: src/new.py\n"
    "+every line starts with plus\n"
    "+\n"
    "+last\n"
    "*** Delete File: src/old.py\n"
    "*** Update File: a.txt\n"
    "*** Move to: b.txt\n"
    "@@\n"
    "-x\n"
    "+y\n"
    "*** End of File\n"
    "*** End Patch\n";

}  // namespace

TEST_CASE("v4a: the example of edit-formats.md parses completely") {
  ParsedEdits r = parse_v4a(kFullPatch);
  REQUIRE(r.errors.empty());
  CHECK(r.format == ds::edit::Format::Patch);
  REQUIRE(r.ops.size() == 4);

  const auto& up = r.ops[0];
  CHECK(up.index == 1);
  CHECK(up.line == 2);
  CHECK(up.op == PatchOpKind::Update);
  CHECK(up.path == "src/app.py");
  CHECK(up.move_to.empty());
  REQUIRE(up.chunks.size() == 1);
  CHECK(up.chunks[0].line == 3);
  CHECK(up.chunks[0].scopes == std::vector<std::string>{"class App", "    def run(self):"});
  CHECK(flat(up.chunks[0]) ==
        std::vector<std::string>{" context line", "-old line", "+new line", " context line"});
  CHECK_FALSE(up.chunks[0].end_of_file);

  const auto& add = r.ops[1];
  CHECK(add.index == 2);
  CHECK(add.line == 9);
  CHECK(add.op == PatchOpKind::Add);
  CHECK(add.path == "src/new.py");
  CHECK(add.content == "every line starts with plus\n\nlast\n");

  CHECK(r.ops[2].op == PatchOpKind::Delete);
  CHECK(r.ops[2].path == "src/old.py");
  CHECK(r.ops[2].line == 13);

  const auto& mv = r.ops[3];
  CHECK(mv.path == "a.txt");
  CHECK(mv.move_to == "b.txt");
  REQUIRE(mv.chunks.size() == 1);
  CHECK(mv.chunks[0].scopes == std::vector<std::string>{""});
  CHECK(flat(mv.chunks[0]) == std::vector<std::string>{"-x", "+y"});
  CHECK(mv.chunks[0].end_of_file);
}

TEST_CASE("v4a: the first chunk may omit @@, later @@ lines start new chunks") {
  ParsedEdits r = parse_v4a(
      "*** Begin Patch\n"
      "*** Update File: m.go\n"
      " func a() {\n"
      "-\treturn 1\n"
      "+\treturn 2\n"
      "\n"
      " }\n"
      "@@ func b() {\n"
      "-\treturn 3\n"
      "+\treturn 4\n"
      "@@ func c() {\n"
      "@@ \tif x {\n"
      "-\t\ty()\n"
      "*** End Patch\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.ops.size() == 1);
  const auto& chunks = r.ops[0].chunks;
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[0].line == 3);
  CHECK(chunks[0].scopes.empty());
  // a completely empty line inside a chunk is empty context
  CHECK(flat(chunks[0]) == std::vector<std::string>{" func a() {", "-\treturn 1", "+\treturn 2", " ", " }"});
  CHECK(chunks[1].line == 8);
  CHECK(chunks[1].scopes == std::vector<std::string>{"func b() {"});
  CHECK(chunks[2].scopes == std::vector<std::string>{"func c() {", "\tif x {"});
  CHECK(flat(chunks[2]) == std::vector<std::string>{"-\t\ty()"});
}

TEST_CASE("v4a: blank lines separating sections or chunks are layout, not context") {
  ParsedEdits r = parse_v4a(
      "*** Begin Patch\n"
      "*** Update File: a.py\n"
      "@@ def f():\n"
      "-    x = 1\n"
      "+    x = 2\n"
      "\n"
      "@@ def g():\n"
      "-    y = 1\n"
      "+    y = 2\n"
      "\n"
      "\n"
      "*** Add File: b.py\n"
      "+print(1)\n"
      "\n"
      "*** End Patch\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.ops.size() == 2);
  REQUIRE(r.ops[0].chunks.size() == 2);
  CHECK(flat(r.ops[0].chunks[0]) == std::vector<std::string>{"-    x = 1", "+    x = 2"});
  CHECK(flat(r.ops[0].chunks[1]) == std::vector<std::string>{"-    y = 1", "+    y = 2"});
  CHECK(r.ops[1].content == "print(1)\n");
}

TEST_CASE("v4a: End of File anchors the chunk, blank context before it is kept") {
  ParsedEdits r = parse_v4a(
      "*** Begin Patch\n*** Update File: x.txt\n@@\n last\n+added\n\n*** End of File\n"
      "@@ top\n-a\n+b\n*** End Patch\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.ops[0].chunks.size() == 2);
  CHECK(r.ops[0].chunks[0].end_of_file);
  CHECK(flat(r.ops[0].chunks[0]) == std::vector<std::string>{" last", "+added", " "});
  CHECK_FALSE(r.ops[0].chunks[1].end_of_file);
}

TEST_CASE("v4a: unified-diff hunk headers in @@ lines keep only the scope text") {
  ParsedEdits r = parse_v4a(
      "*** Begin Patch\n*** Update File: a.py\n@@ -12,7 +12,8 @@ def run(self):\n-a\n+b\n"
      "@@ -40 +41 @@\n-c\n+d\n@@ class X @@\n-e\n+f\n*** End Patch\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.ops[0].chunks.size() == 3);
  CHECK(r.ops[0].chunks[0].scopes == std::vector<std::string>{"def run(self):"});
  CHECK(r.ops[0].chunks[1].scopes == std::vector<std::string>{""});
  CHECK(r.ops[0].chunks[2].scopes == std::vector<std::string>{"class X"});
}

TEST_CASE("v4a: lenient markers: spacing, case, trailing ***") {
  const char* texts[] = {
      "*** Begin Patch ***\n*** Delete File: a.txt\n*** End Patch ***\n",
      "   *** Begin Patch   \n*** Delete File: a.txt\n  *** End Patch  \n",
      "***Begin Patch\n***Delete File:a.txt\n***End Patch",
      "*** BEGIN PATCH\n*** delete file: a.txt\n*** END PATCH\n",
      "*** Begin Patch\r\n*** Delete File: a.txt\r\n*** End Patch\r\n",
      "*** Begin Patch\n*** Delete File: `a.txt`\n*** End Patch\n",
  };
  for (const char* t : texts) {
    INFO(t);
    ParsedEdits r = parse_v4a(t);
    REQUIRE(r.errors.empty());
    REQUIRE(r.ops.size() == 1);
    CHECK(r.ops[0].op == PatchOpKind::Delete);
    CHECK(r.ops[0].path == "a.txt");
  }
}

TEST_CASE("v4a: a patch indented as a whole loses the indent") {
  ParsedEdits r = parse_v4a(
      "1. Apply this:\n"
      "    *** Begin Patch\n"
      "    *** Update File: a.py\n"
      "    @@ def f():\n"
      "    -    return 1\n"
      "    +    return 2\n"
      "    *** End Patch\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.ops.size() == 1);
  CHECK(flat(r.ops[0].chunks[0]) == std::vector<std::string>{"-    return 1", "+    return 2"});
}

TEST_CASE("v4a: shell heredoc and code fence wrappers") {
  const char* texts[] = {
      "apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: a.py\n-x\n+y\n*** End Patch\nEOF\n",
      "apply_patch <<EOF\n*** Begin Patch\n*** Update File: a.py\n-x\n+y\n*** End Patch\nEOF\n",
      "```bash\napply_patch <<\"PATCH\"\n*** Begin Patch\n*** Update File: a.py\n-x\n+y\n"
      "*** End Patch\nPATCH\n```\n",
      "Here is the patch:\n\n```diff\n*** Begin Patch\n*** Update File: a.py\n-x\n+y\n"
      "*** End Patch\n```\n",
  };
  for (const char* t : texts) {
    INFO(t);
    ParsedEdits r = parse_v4a(t);
    REQUIRE(r.errors.empty());
    REQUIRE(r.ops.size() == 1);
    CHECK(r.ops[0].path == "a.py");
    CHECK(flat(r.ops[0].chunks[0]) == std::vector<std::string>{"-x", "+y"});
  }
}

TEST_CASE("v4a: a heredoc or fence that closes before End Patch keeps the last section") {
  ParsedEdits r = parse_v4a("apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: a.py\n-x\n+y\nEOF\n");
  REQUIRE(r.ops.size() == 1);
  CHECK(flat(r.ops[0].chunks[0]) == std::vector<std::string>{"-x", "+y"});
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 6);
  CHECK(contains(r.errors[0].error, "expected '*** End Patch' before 'EOF'"));

  ParsedEdits f = parse_v4a("```\n*** Begin Patch\n*** Update File: a.md\n ```\n-x\n+y\n```\n");
  REQUIRE(f.ops.size() == 1);  // " ```" is a context line, the bare ``` ends the patch
  CHECK(flat(f.ops[0].chunks[0]) == std::vector<std::string>{" ```", "-x", "+y"});
  REQUIRE(f.errors.size() == 1);
  CHECK(f.errors[0].line == 7);
}

TEST_CASE("v4a: a patch given as a JSON string or as {\"input\": ...}") {
  const char* texts[] = {
      "\"*** Begin Patch\\n*** Update File: a.py\\n@@ def f():\\n-x\\n+y \\u00e9\\n"
      "*** End Patch\\n\"",
      "{\"input\": \"*** Begin Patch\\n*** Update File: a.py\\n@@ def f():\\n-x\\n+y \\u00e9\\n"
      "*** End Patch\"}",
      "  {\"explanation\": \"fix\", \"n\": [1, -2.5e3, true, null], \"input\": \"*** Begin Patch\\r\\n"
      "*** Update File: a.py\\r\\n@@ def f():\\r\\n-x\\r\\n+y \\u00e9\\r\\n*** End Patch\"}\n",
      "{\"command\": [\"apply_patch\", \"*** Begin Patch\\n*** Update File: a.py\\n@@ def f():\\n"
      "-x\\n+y \xc3\xa9\\n*** End Patch\\n\"]}",
      "{\"input\": \"*** Begin Patch\n*** Update File: a.py\n@@ def f():\n-x\n+y \\u00e9\n"
      "*** End Patch\"}",  // raw newlines inside the JSON string
  };
  for (const char* t : texts) {
    INFO(t);
    ParsedEdits r = parse_v4a(t);
    REQUIRE(r.errors.empty());
    REQUIRE(r.ops.size() == 1);
    CHECK(r.ops[0].path == "a.py");
    CHECK(r.ops[0].line == 2);
    REQUIRE(r.ops[0].chunks.size() == 1);
    CHECK(r.ops[0].chunks[0].scopes == std::vector<std::string>{"def f():"});
    CHECK(flat(r.ops[0].chunks[0]) == std::vector<std::string>{"-x", "+y \xc3\xa9"});
  }
}

TEST_CASE("v4a: JSON escapes: quotes, backslashes, surrogate pairs") {
  ParsedEdits r = parse_v4a(
      "\"*** Begin Patch\\n*** Add File: q.txt\\n+say \\\"hi\\\" \\\\ \\/ \\ud83d\\ude00\\t.\\n"
      "*** End Patch\"");
  REQUIRE(r.errors.empty());
  REQUIRE(r.ops.size() == 1);
  CHECK(r.ops[0].content == "say \"hi\" \\ / \xF0\x9F\x98\x80\t.\n");
}

TEST_CASE("v4a: several patches in one reply") {
  ParsedEdits r = parse_v4a(
      "First:\n*** Begin Patch\n*** Delete File: a\n*** End Patch\n"
      "Then:\n*** Begin Patch\n*** Delete File: b\n*** End Patch\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.ops.size() == 2);
  CHECK(r.ops[1].path == "b");
  CHECK(r.ops[1].index == 2);
  CHECK(r.ops[1].line == 7);
}

TEST_CASE("v4a: context lines that look like markers stay context, indented real markers are markers") {
  // edit-formats.md: a line that is a marker after trimming is the marker,
  // never a context line; other `***` lines after a space are context.
  ParsedEdits r = parse_v4a(
      "*** Begin Patch\n*** Update File: docs/formats.md\n@@\n ***bold*** text\n *** Note: x\n"
      "-old\n+new\n   *** Update File: b.md\n@@\n-b\n+B\n  *** End Patch\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.ops.size() == 2);
  CHECK(flat(r.ops[0].chunks[0]) ==
        std::vector<std::string>{" ***bold*** text", " *** Note: x", "-old", "+new"});
  CHECK(r.ops[1].path == "b.md");
  CHECK(flat(r.ops[1].chunks[0]) == std::vector<std::string>{"-b", "+B"});
}

TEST_CASE("v4a: Add content: empty add, and blank lines between '+' lines") {
  ParsedEdits r =
      parse_v4a("*** Begin Patch\n*** Add File: empty.txt\n*** Add File: gap.txt\n+a\n\n+b\n*** End Patch\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.ops.size() == 2);
  CHECK(r.ops[0].content.empty());
  CHECK(r.ops[1].content == "a\n\nb\n");
}

TEST_CASE("v4a: a pure rename (Move to, no chunks) is accepted") {
  ParsedEdits r = parse_v4a("*** Begin Patch\n*** Update File: a.txt\n*** Move to: b/c.txt\n*** End Patch\n");
  REQUIRE(r.errors.empty());
  REQUIRE(r.ops.size() == 1);
  CHECK(r.ops[0].move_to == "b/c.txt");
  CHECK(r.ops[0].chunks.empty());
}

TEST_CASE("v4a: missing End Patch keeps complete sections, drops the one cut off") {
  ParsedEdits r =
      parse_v4a("*** Begin Patch\n*** Delete File: a.txt\n*** Update File: b.py\n@@ def f():\n-x\n");
  REQUIRE(r.ops.size() == 1);
  CHECK(r.ops[0].path == "a.txt");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].index == 2);
  CHECK(r.errors[0].line == 5);
  CHECK(contains(r.errors[0].error, "without '*** End Patch'"));
  CHECK(contains(r.errors[0].error, "'*** Update File: b.py' (line 3) was not kept"));
}

TEST_CASE("v4a: a new Begin Patch before End Patch") {
  ParsedEdits r =
      parse_v4a("*** Begin Patch\n*** Delete File: a\n*** Begin Patch\n*** Delete File: b\n*** End Patch\n");
  REQUIRE(r.ops.size() == 2);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].index == 2);
  CHECK(r.errors[0].line == 3);
  CHECK(contains(r.errors[0].error, "expected '*** End Patch' before the next '*** Begin Patch'"));
  CHECK(r.ops[1].index == 3);
}

TEST_CASE("v4a: unknown *** header is reported, the sections around it count") {
  ParsedEdits r = parse_v4a(
      "*** Begin Patch\n*** Delete File: a\n*** Rename File: b -> c\n+junk\n"
      "*** Delete File: d\n*** End Patch\n");
  REQUIRE(r.ops.size() == 2);
  CHECK(r.ops[0].path == "a");
  CHECK(r.ops[1].path == "d");
  CHECK(r.ops[1].index == 3);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].index == 2);
  CHECK(r.errors[0].line == 3);
  CHECK(contains(r.errors[0].error, "unknown header '*** Rename File: b -> c'"));
  CHECK(contains(r.errors[0].error, "expected '*** Add File: <path>'"));
}

TEST_CASE("v4a: an Add line not starting with '+' drops that section") {
  ParsedEdits r = parse_v4a(
      "*** Begin Patch\n*** Add File: n.py\n+import os\nprint(os.getcwd())\n+x\n"
      "*** Delete File: z\n*** End Patch\n");
  REQUIRE(r.ops.size() == 1);
  CHECK(r.ops[0].path == "z");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 4);
  CHECK(contains(r.errors[0].error, "'*** Add File: n.py' (line 2) must start with '+'"));
  CHECK(contains(r.errors[0].error, "'print(os.getcwd())'"));
}

TEST_CASE("v4a: a chunk line with another prefix drops that section") {
  ParsedEdits r = parse_v4a("*** Begin Patch\n*** Update File: u.c\n@@\n-a\n+b\n\tint c;\n*** End Patch\n");
  CHECK(r.ops.empty());
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].line == 6);
  CHECK(contains(r.errors[0].error, "expected a chunk line starting with ' '"));
  CHECK(contains(r.errors[0].error, "'\tint c;'"));
  CHECK(contains(r.errors[0].error, "u.c"));
}

TEST_CASE("v4a: Update with no chunks, and a chunk with no lines") {
  ParsedEdits none = parse_v4a("*** Begin Patch\n*** Update File: u.c\n*** Delete File: v\n*** End Patch\n");
  REQUIRE(none.errors.size() == 1);
  CHECK(none.errors[0].line == 2);
  CHECK(contains(none.errors[0].error, "'*** Update File: u.c' has no changes"));
  REQUIRE(none.ops.size() == 1);
  CHECK(none.ops[0].index == 2);

  ParsedEdits empty_chunk =
      parse_v4a("*** Begin Patch\n*** Update File: u.c\n@@ int main()\n\n*** End Patch\n");
  CHECK(empty_chunk.ops.empty());
  REQUIRE(empty_chunk.errors.size() == 1);
  CHECK(empty_chunk.errors[0].line == 3);
  CHECK(contains(empty_chunk.errors[0].error, "'@@ int main()'"));
  CHECK(contains(empty_chunk.errors[0].error, "has no lines"));
}

TEST_CASE("v4a: empty patches are errors") {
  ParsedEdits between = parse_v4a("*** Begin Patch\n\n*** End Patch\n");
  CHECK(between.ops.empty());
  REQUIRE(between.errors.size() == 1);
  CHECK(between.errors[0].line == 3);
  CHECK(contains(between.errors[0].error, "no file sections"));

  ParsedEdits nothing = parse_v4a("");
  REQUIRE(nothing.errors.size() == 1);
  CHECK(nothing.errors[0].line == 1);
  CHECK(contains(nothing.errors[0].error, "the patch is empty"));

  ParsedEdits prose = parse_v4a("I think the bug is in a.py.\n");
  REQUIRE(prose.errors.size() == 1);
  CHECK(contains(prose.errors[0].error, "expected '*** Begin Patch', but found 'I think"));
}

TEST_CASE("v4a: sections without Begin Patch are read, and the missing marker reported") {
  ParsedEdits r = parse_v4a("*** Update File: a.py\n@@\n-x\n+y\n*** End Patch\n");
  REQUIRE(r.ops.size() == 1);
  CHECK(r.ops[0].index == 2);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].index == 1);
  CHECK(r.errors[0].line == 1);
  CHECK(contains(r.errors[0].error, "expected '*** Begin Patch' as the first line"));
}

TEST_CASE("v4a: misplaced Move to and End of File, missing paths, stray text") {
  struct Case {
    const char* body;
    int line;
    const char* says;
  };
  const Case cases[] = {
      {"*** Update File: a\n@@\n-x\n*** Move to: b\n", 5, "must directly follow"},
      {"*** Add File: a\n+x\n*** Move to: b\n", 4, "must directly follow"},
      {"*** Add File: a\n+x\n*** End of File\n", 4, "'*** End of File' must follow"},
      {"*** Update File: a\n*** End of File\n", 3, "'*** End of File' must follow"},
      {"*** Update File: \n@@\n-x\n", 2, "expected a file path after"},
      {"*** Update File: a\n*** Move to:\n@@\n-x\n", 3, "expected a path after"},
      {"*** Delete File: a\n-x\n", 3, "takes no lines"},
      {"just some text\n", 2, "expected a file header"},
      {"*** Update File: a\n@@\n-x\n*** End of File\n+y\n", 6, "expected '@@' to start a new chunk"},
  };
  for (const Case& c : cases) {
    std::string text = std::string("*** Begin Patch\n") + c.body + "*** End Patch\n";
    INFO(text);
    ParsedEdits r = parse_v4a(text);
    CHECK(r.ops.empty());
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].line == c.line);
    CHECK(contains(r.errors[0].error, c.says));
  }
}
