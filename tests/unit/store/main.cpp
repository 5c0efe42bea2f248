#define BOOST_TEST_MODULE ow_store
#include <boost/test/unit_test.hpp>
