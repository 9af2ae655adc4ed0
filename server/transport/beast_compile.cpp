// Asio and Beast are compiled once, here, for the whole project (BOOST_ASIO_SEPARATE_COMPILATION
// and BOOST_BEAST_SEPARATE_COMPILATION are set on every user through the vraagbaak::beast
// target), which keeps a clean build on two cores at a few minutes.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
