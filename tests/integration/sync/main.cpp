#define BOOST_TEST_MODULE ow_sync_live
#include <boost/test/unit_test.hpp>
