#define BOOST_TEST_MODULE ow_core
#include <boost/test/unit_test.hpp>
