#define BOOST_TEST_MODULE ow_notices
#include <boost/test/unit_test.hpp>
