#define BOOST_TEST_MODULE ow_catalogue
#include <boost/test/unit_test.hpp>
