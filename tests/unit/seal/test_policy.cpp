#include "ow/seal/policy.h"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace ow;
using namespace ow::seal;

namespace {

SealPolicy approval_seal() {
    SealPolicy p;
    p.name = "行政审批专用章";
    p.holders = {{"zhang", core::Post::A}, {"li", core::Post::B}, {"clerk", core::Post::none}};
    return p;
}

core::Actor actor(const std::string& user, const std::string& acting_for = {}) {
    core::Actor a;
    a.user_id = user;
    a.acting_for = acting_for;
    return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(seal_policy)

BOOST_AUTO_TEST_CASE(holders_may_use_the_seal) {
    const auto p = approval_seal();
    BOOST_CHECK_NO_THROW(check_may_use(p, actor("zhang")));
    BOOST_CHECK_NO_THROW(check_may_use(p, actor("clerk")));
    BOOST_CHECK_NO_THROW(check_may_use(p, actor("li", "zhang")));
}

BOOST_AUTO_TEST_CASE(others_and_b_alone_are_refused) {
    const auto p = approval_seal();
    BOOST_CHECK_THROW(check_may_use(p, actor("wang")), SealRefused);
    BOOST_CHECK_THROW(check_may_use(p, actor("li")), SealRefused);
    BOOST_CHECK_THROW(check_may_use(p, actor("li", "clerk")), SealRefused);
    try {
        check_may_use(p, actor("wang"));
    } catch (const SealRefused& e) {
        BOOST_TEST(e.code() == "seal.not_authorised");
    }
}

BOOST_AUTO_TEST_CASE(load_checks_the_file) {
    char name[] = "/tmp/ow-policy-XXXXXX";
    const int fd = mkstemp(name);
    BOOST_REQUIRE(fd >= 0);
    ::close(fd);
    std::ofstream(name) << R"({"name": "x", "holders": [{"user": "a", "post": "A"}, {"user": "b", "post": "B"}]})";
    const auto p = SealPolicy::load(name);
    BOOST_TEST(p.holders.size() == 2u);
    BOOST_TEST((p.holders[1].post == core::Post::B));
    std::ofstream(name) << R"({"holders": [{"user": "a", "post": "C"}]})";
    BOOST_CHECK_THROW(SealPolicy::load(name), SealInputError);
    std::ofstream(name) << "{ broken";
    BOOST_CHECK_THROW(SealPolicy::load(name), SealInputError);
    std::remove(name);
    BOOST_CHECK_THROW(SealPolicy::load(name), SealInputError);
}

BOOST_AUTO_TEST_SUITE_END()
