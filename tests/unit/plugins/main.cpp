#define BOOST_TEST_MODULE ow_plugins
#include <boost/test/unit_test.hpp>
