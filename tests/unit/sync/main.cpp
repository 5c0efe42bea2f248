#define BOOST_TEST_MODULE ow_sync
#include <boost/test/unit_test.hpp>
