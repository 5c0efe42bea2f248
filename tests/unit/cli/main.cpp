#define BOOST_TEST_MODULE ow_cli
#include <boost/test/unit_test.hpp>
