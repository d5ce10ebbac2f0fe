// {related_tests} on a small real repository: the test files that reference
// what the edited file defines, or are named after it, and no others; and
// through the binary, the test command a run executes after its edit.
#include <catch2/catch.hpp>

#include "agent/related_tests.hpp"
#include "support/run_fixture.hpp"

using namespace ds::test::e2e;
using ds::agent::related_tests;
using ds::agent::with_related_tests;

namespace {

TempRepo shop() {
  return TempRepo({
      {"shop/cart.py",
       "class Cart:\n    def total_price(self):\n        return 0\n\n\ndef add_item(cart, x):\n    "
       "return cart\n"},
      {"shop/tax.py", "def vat_rate(country):\n    return 0.2\n"},
      {"tests/test_cart.py", "def test_empty():\n    assert True\n"},  // named after cart.py
      {"tests/test_checkout.py",
       "from shop.cart import Cart\n\ndef test_total():\n    assert Cart().total_price() == 0\n"},
      {"tests/test_tax.py",
       "from shop.tax import vat_rate\n\ndef test_vat():\n    assert vat_rate('fr') == 0.2\n"},
      {"tests/test_misc.py", "def test_nothing():\n    assert 1 + 1 == 2\n"},
      {"README.md", "Cart and add_item are documented here.\n"},
  });
}

}  // namespace

TEST_CASE("related tests: referencing the edited file's symbols or named after it, nothing else") {
  TempRepo repo = shop();
  CHECK(related_tests(repo.root(), {"shop/cart.py"}) ==
        std::vector<std::string>{"tests/test_cart.py", "tests/test_checkout.py"});
  CHECK(related_tests(repo.root(), {"shop/tax.py"}) == std::vector<std::string>{"tests/test_tax.py"});
  CHECK(related_tests(repo.root(), {"shop/cart.py", "shop/tax.py"}) ==
        std::vector<std::string>{"tests/test_cart.py", "tests/test_checkout.py", "tests/test_tax.py"});
  CHECK(related_tests(repo.root(), {}).empty());
  CHECK(with_related_tests("pytest -q {related_tests}", repo.root(), {"shop/tax.py"}) ==
        "pytest -q 'tests/test_tax.py'");
  CHECK(with_related_tests("pytest -q {related_tests}", repo.root(), {}) == "pytest -q ");
  CHECK(with_related_tests("make test", repo.root(), {"shop/tax.py"}) == "make test");
}

TEST_CASE("related tests: a run's test command gets the tests of the file it edited") {
  TempRepo repo = shop();
  auto mock = start_mock(script({edit_turn(sr_block("shop/tax.py", "    return 0.2\n", "    return 0.20\n")),
                                 finish_turn("done"), finish_turn("done")}));
  // Records what it was given, then passes.
  ProcResult r = run_agent(repo, *mock, "vat_rate should say 0.20", "echo ran: {related_tests}",
                           {"--json", "--no-commands"});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  std::vector<std::string> outputs;
  for (const auto& e : json_lines(r.out))
    if (e["type"].as_string() == "tests") outputs.push_back(e["output_tail"].as_string());
  REQUIRE(outputs.size() >= 2);
  CHECK(outputs.front() == "ran:\n");  // the base: nothing edited yet
  CHECK(outputs.back() == "ran: tests/test_tax.py\n");
}
