// Built-in extractor: representative definitions per language, signatures,
// references, and literals/comments that must not derail the scanners.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "repomap/language.hpp"
#include "repomap/symbols.hpp"

using namespace ds::repomap;

namespace {

// "kind name depth" for every definition, in file order.
std::vector<std::string> defs(Language lang, std::string_view src) {
  std::vector<std::string> out;
  for (const auto& d : extract_symbols(lang, src).defs)
    out.push_back(std::string(def_kind_name(d.kind)) + " " + std::string(d.name) + " " +
                  std::to_string(d.depth));
  return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool has_name(const std::vector<std::string>& v, const std::string& name) {
  return std::any_of(v.begin(), v.end(),
                     [&](const std::string& s) { return s.find(" " + name + " ") != std::string::npos; });
}

uint32_t ref_count(Language lang, std::string_view src, std::string_view name) {
  for (const auto& r : extract_symbols(lang, src).refs)
    if (r.name == name) return r.count;
  return 0;
}

}  // namespace

TEST_CASE("language is chosen by extension") {
  CHECK(language_for_path("src/a.cpp") == Language::kCpp);
  CHECK(language_for_path("include/a.h") == Language::kCpp);
  CHECK(language_for_path("x/y.c") == Language::kC);
  CHECK(language_for_path("m.PY") == Language::kPython);
  CHECK(language_for_path("web/app.tsx") == Language::kTypeScript);
  CHECK(language_for_path("web/app.mjs") == Language::kJavaScript);
  CHECK(language_for_path("dist/app.min.js") == Language::kUnknown);
  CHECK(language_for_path("main.go") == Language::kGo);
  CHECK(language_for_path("lib.rs") == Language::kRust);
  CHECK(language_for_path("A.java") == Language::kJava);
  CHECK(language_for_path("README.md") == Language::kUnknown);
  CHECK(language_for_path(".bashrc") == Language::kUnknown);
}

TEST_CASE("C++: classes, methods, out-of-line definitions, typedefs, macros") {
  const char* src = R"(
#include <vector>
#define MAX_WIDGETS 10
#define WIDGET_CALL(x) \
    do_call(x)
namespace ui {
template <typename T>
class DS_EXPORT Widget final : public Base<T> {
 public:
  explicit Widget(int w);
  ~Widget();
  int width() const { return w_ + compute(1); }
  static std::vector<int> sizes(const Widget& w);
  bool operator==(const Widget& o) const;
  struct Inner { void poke(); };
 private:
  int w_ = 0;
};
int Widget::height() const {
  if (w_ > 0) { return helper(w_); }
  return 0;
}
Widget::Widget(int w) : w_(w), v_{1, 2} {}
typedef struct { int a; } Plain;
using WidgetList = std::vector<Widget>;
enum class Color : int { kRed, kGreen };
static int free_function(const char* s, int n) {
  auto lambda = [](int x) { return x; };
  return lambda(n);
}
Widget global_widget(3);
}  // namespace ui
extern "C" int c_entry(void);
TEST_CASE("not a function") { run(); }
)";
  auto d = defs(Language::kCpp, src);
  CHECK(has(d, "macro MAX_WIDGETS 0"));
  CHECK(has(d, "macro WIDGET_CALL 0"));
  CHECK(has(d, "class Widget 0"));
  CHECK(has(d, "method Widget 1"));  // constructor declaration
  CHECK(has(d, "method width 1"));
  CHECK(has(d, "method sizes 1"));
  CHECK(has(d, "struct Inner 1"));
  CHECK(has(d, "method poke 2"));
  CHECK(has(d, "method height 0"));
  CHECK(has(d, "type Plain 0"));
  CHECK(has(d, "type WidgetList 0"));
  CHECK(has(d, "enum Color 0"));
  CHECK(has(d, "function free_function 0"));
  CHECK(has(d, "function c_entry 0"));
  CHECK_FALSE(has_name(d, "compute"));
  CHECK_FALSE(has_name(d, "helper"));
  CHECK_FALSE(has_name(d, "lambda"));
  CHECK_FALSE(has_name(d, "global_widget"));
  CHECK_FALSE(has_name(d, "TEST_CASE"));
  CHECK_FALSE(has_name(d, "DS_EXPORT"));
  CHECK_FALSE(has_name(d, "kRed"));
  CHECK_FALSE(has_name(d, "w_"));

  auto sym = extract_symbols(Language::kCpp, src);
  auto it =
      std::find_if(sym.defs.begin(), sym.defs.end(), [](const Definition& x) { return x.name == "height"; });
  REQUIRE(it != sym.defs.end());
  CHECK(it->signature == "int Widget::height() const {");
  CHECK(it->line == 19);
}

TEST_CASE("C: structs, prototypes, function definitions, K&R bodies skipped") {
  const char* src = R"(/* a "comment" with { braces */
struct point { int x, y; };
struct point *make_point(int x, int y);
static const struct ops table = { .open = op_open };
int main(int argc, char **argv)
{
    const char *s = "}{";
    char c = '}';
    return make_point(1, 2) != 0;
}
)";
  auto d = defs(Language::kC, src);
  CHECK(has(d, "struct point 0"));
  CHECK(has(d, "function make_point 0"));
  CHECK(has(d, "function main 0"));
  CHECK_FALSE(has_name(d, "table"));
  CHECK_FALSE(has_name(d, "op_open"));
  CHECK(ref_count(Language::kC, src, "make_point") == 2);
  CHECK(ref_count(Language::kC, src, "comment") == 0);  // comments are not references
}

TEST_CASE("C++ raw strings and digit separators do not derail the scanner") {
  const char* src = R"cpp(
    const char* kText = R"x(int fake() { )x";
    int big = 1'000'000;
    void after() {}
  )cpp";
  auto d = defs(Language::kCpp, src);
  CHECK(has(d, "function after 0"));
  CHECK_FALSE(has_name(d, "fake"));
}

TEST_CASE("Python: classes, methods, functions, constants, nested functions are local") {
  const char* src = R"(
import os

MAX_RETRIES = 3
logger = make_logger()

class Parser(Base):
    """Docstring with def fake(): inside."""
    kind = "x"

    def __init__(self, text):
        self.text = text

    @property
    async def tokens(self,
                     limit=10):
        def local_helper():
            pass
        return local_helper()

    class Nested:
        def inner(self): pass

def parse_file(path: str) -> Parser:
    return Parser(open(path).read())
)";
  auto d = defs(Language::kPython, src);
  CHECK(has(d, "constant MAX_RETRIES 0"));
  CHECK(has(d, "class Parser 0"));
  CHECK(has(d, "method __init__ 1"));
  CHECK(has(d, "method tokens 1"));
  CHECK(has(d, "class Nested 1"));
  CHECK(has(d, "method inner 2"));
  CHECK(has(d, "function parse_file 0"));
  CHECK_FALSE(has_name(d, "local_helper"));
  CHECK_FALSE(has_name(d, "fake"));
  CHECK_FALSE(has_name(d, "logger"));
  CHECK_FALSE(has_name(d, "kind"));
  auto sym = extract_symbols(Language::kPython, src);
  auto it =
      std::find_if(sym.defs.begin(), sym.defs.end(), [](const Definition& x) { return x.name == "tokens"; });
  REQUIRE(it != sym.defs.end());
  CHECK(it->signature == "async def tokens(self,");
  CHECK(ref_count(Language::kPython, src, "Parser") == 3);
  CHECK(ref_count(Language::kPython, src, "self") == 0);  // keywords are not references
}

TEST_CASE("Go: funcs, methods with receivers, structs, interfaces, groups") {
  const char* src = R"(package store

import (
	"fmt"
)

type Store struct {
	items map[string]int
}

type Reader interface {
	Read(key string) (int, error)
	Close() error
}

type (
	ID    int64
	Pair  struct{ A, B int }
)

const MaxItems = 100
const minItems = 1
var (
	ErrMissing = fmt.Errorf("missing")
)

func NewStore() *Store {
	f := func() { _ = "}" }
	f()
	return &Store{items: map[string]int{}}
}

func (s *Store) Get(key string) (int, error) {
	raw := `raw { string`
	_ = raw
	return s.items[key], nil
}

func Map[T any](xs []T, f func(T) T) []T { return xs }
)";
  auto d = defs(Language::kGo, src);
  CHECK(has(d, "struct Store 0"));
  CHECK(has(d, "interface Reader 0"));
  CHECK(has(d, "method Read 1"));
  CHECK(has(d, "method Close 1"));
  CHECK(has(d, "type ID 0"));
  CHECK(has(d, "struct Pair 0"));
  CHECK(has(d, "constant MaxItems 0"));
  CHECK(has(d, "variable ErrMissing 0"));
  CHECK(has(d, "function NewStore 0"));
  CHECK(has(d, "method Get 0"));
  CHECK(has(d, "function Map 0"));
  CHECK_FALSE(has_name(d, "minItems"));
  CHECK_FALSE(has_name(d, "items"));
  auto sym = extract_symbols(Language::kGo, src);
  auto it =
      std::find_if(sym.defs.begin(), sym.defs.end(), [](const Definition& x) { return x.name == "Get"; });
  REQUIRE(it != sym.defs.end());
  CHECK(it->signature == "func (s *Store) Get(key string) (int, error) {");
}

TEST_CASE("Rust: fns, structs, enums, traits, impls with methods, lifetimes, raw strings") {
  const char* src = R"rs(
use std::fmt;

#[derive(Debug)]
pub struct Config<'a> {
    name: &'a str,
}

pub enum Mode { Fast, Slow }

pub trait Render {
    fn render(&self) -> String;
}

impl<'a> fmt::Display for Config<'a> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = r#"fn fake() { "#;
        let c = '{';
        write!(f, "{}", self.name)
    }
}

impl Config<'_> {
    pub(crate) const fn new(name: &str) -> Self { todo!() }
}

pub const LIMIT: usize = 10;
type Map = std::collections::HashMap<String, u32>;
macro_rules! square { ($x:expr) => { $x * $x }; }

pub fn run(mode: Mode) -> Result<(), String> {
    fn inner() {}
    Ok(())
}

mod tests {
    fn helper() {}
}
)rs";
  auto d = defs(Language::kRust, src);
  CHECK(has(d, "struct Config 0"));
  CHECK(has(d, "enum Mode 0"));
  CHECK(has(d, "trait Render 0"));
  CHECK(has(d, "method render 1"));
  CHECK(has(d, "impl Config 0"));
  CHECK(has(d, "method fmt 1"));
  CHECK(has(d, "method new 1"));
  CHECK(has(d, "constant LIMIT 0"));
  CHECK(has(d, "type Map 0"));
  CHECK(has(d, "macro square 0"));
  CHECK(has(d, "function run 0"));
  CHECK(has(d, "module tests 0"));
  CHECK(has(d, "function helper 0"));
  CHECK_FALSE(has_name(d, "fake"));
  CHECK_FALSE(has_name(d, "inner"));
}

TEST_CASE("TypeScript: exports, arrow functions, classes, interfaces, types, enums") {
  const char* src = R"(
import { thing } from "./thing";

export interface Shape {
  area(): number;
  name: string;
}

export type Point = { x: number; y: number };
export enum Kind { A, B }
export const DEFAULT_SIZE = 10;
const local = 5;
export const makePoint = (x: number, y: number): Point => ({ x, y });
const helper = async (s: string) => { return s.replace(/[{]/g, "}"); };
let legacy = function (a) { return a; };

export default class Circle implements Shape {
  private r = 0;
  static #count = 0;
  constructor(r: number) { this.r = r; }
  area(): number { return Math.PI * this.r ** 2; }
  async load<T>(url: string): Promise<T> { const t = `${url}/{x}`; return fetch(t); }
  onClick = (e: Event) => { console.log(`clicked ${e.type}`); };
  get name() { return "circle"; }
}

export function describe(s: Shape): string {
  return `shape ${s.area()}`;
}

namespace Geometry {
  export function scale(p: Point) { return p; }
}
)";
  auto d = defs(Language::kTypeScript, src);
  CHECK(has(d, "interface Shape 0"));
  CHECK(has(d, "method area 1"));
  CHECK(has(d, "type Point 0"));
  CHECK(has(d, "enum Kind 0"));
  CHECK(has(d, "constant DEFAULT_SIZE 0"));
  CHECK(has(d, "function makePoint 0"));
  CHECK(has(d, "function helper 0"));
  CHECK(has(d, "function legacy 0"));
  CHECK(has(d, "class Circle 0"));
  CHECK(has(d, "method load 1"));
  CHECK(has(d, "method onClick 1"));
  CHECK(has(d, "method name 1"));
  CHECK(has(d, "function describe 0"));
  CHECK(has(d, "module Geometry 0"));
  CHECK(has(d, "function scale 0"));
  CHECK_FALSE(has_name(d, "local"));
  CHECK_FALSE(has_name(d, "constructor"));
  CHECK_FALSE(has_name(d, "r"));
  CHECK_FALSE(has_name(d, "count"));
}

TEST_CASE("JavaScript: CommonJS exports, classes, JSX bodies") {
  const char* src = R"(
const React = require("react");
function App(props) {
  return <div className="app">{props.children}</div>;
}
class Store extends Base {
  dispatch(action) { return this.reduce(action); }
}
exports.createStore = function (reducer) { return new Store(reducer); };
module.exports.VERSION = "1.0";
)";
  auto d = defs(Language::kJavaScript, src);
  CHECK(has(d, "function App 0"));
  CHECK(has(d, "class Store 0"));
  CHECK(has(d, "method dispatch 1"));
  CHECK(has(d, "function createStore 0"));
  CHECK(has(d, "constant VERSION 0"));
  CHECK_FALSE(has_name(d, "React"));
}

TEST_CASE("Java: classes, interfaces, enums, records, methods, constructors") {
  const char* src = R"(
package com.example;

import java.util.List;

@Deprecated(since = "1")
public class OrderService extends Base implements Service {
    private final List<Order> orders = new ArrayList<>();
    private static final String NAME = "x{";

    public OrderService(Repo repo) { super(repo); }

    @Override
    public <T> List<T> findAll(Class<T> type) throws IOException {
        Runnable r = new Runnable() { public void run() { helper(); } };
        return List.of();
    }

    static class Builder {
        Builder withName(String n) { return this; }
    }
}

interface Service {
    void start();
    default int priority() { return 0; }
}

enum Level { LOW, HIGH }

record Point(int x, int y) implements Shape {}

@interface Marker {}
)";
  auto d = defs(Language::kJava, src);
  CHECK(has(d, "class OrderService 0"));
  CHECK(has(d, "method OrderService 1"));
  CHECK(has(d, "method findAll 1"));
  CHECK(has(d, "class Builder 1"));
  CHECK(has(d, "method withName 2"));
  CHECK(has(d, "interface Service 0"));
  CHECK(has(d, "method start 1"));
  CHECK(has(d, "method priority 1"));
  CHECK(has(d, "enum Level 0"));
  CHECK(has(d, "class Point 0"));
  CHECK(has(d, "interface Marker 0"));
  CHECK_FALSE(has_name(d, "run"));
  CHECK_FALSE(has_name(d, "helper"));
  CHECK_FALSE(has_name(d, "orders"));
  CHECK_FALSE(has_name(d, "Deprecated"));
}

TEST_CASE("signatures are trimmed and cut to 100 bytes at a UTF-8 boundary") {
  std::string line = "    void f(" + std::string(95, 'a') + "\xC3\xA9" + "bcdef) {}\n";
  auto sig = signature_at(line, 0);
  CHECK(sig.size() <= kMaxSignatureBytes);
  CHECK(sig.substr(0, 7) == "void f(");
  CHECK((static_cast<unsigned char>(sig.back()) & 0xC0) != 0xC0);  // no dangling lead byte
  CHECK(signature_at("\t int x;  \r\n", 0) == "int x;");
}

TEST_CASE("references count identifiers outside comments and strings") {
  const char* src = "x = compute(a) # compute later\ny = compute(b) + 'compute'\n";
  CHECK(ref_count(Language::kPython, src, "compute") == 2);
  CHECK(ref_count(Language::kPython, src, "later") == 0);
}
