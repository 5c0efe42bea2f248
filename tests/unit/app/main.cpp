#define BOOST_TEST_MODULE ow_desk_logic
#include <boost/test/unit_test.hpp>
