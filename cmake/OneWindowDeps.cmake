#[[ Finds every third-party dependency of OneWindow, once, and turns each into an imported
    target with an `ow::` name. A missing dependency stops configure with the Debian package
    that provides it (scripts/bootstrap installs them all). ]]
find_package(PkgConfig QUIET)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkg-config' (or run scripts/bootstrap)")
endif()

function(ow_missing what package)
  message(FATAL_ERROR "${what} not found: install the Debian package '${package}' (or run scripts/bootstrap)")
endfunction()

# ow_pkg(NAME MODULE PACKAGE [MIN_VERSION]): a pkg-config module as imported target ow::NAME.
function(ow_pkg name module package)
  set(spec ${module})
  if(ARGC GREATER 3)
    set(spec "${module}>=${ARGV3}")
  endif()
  pkg_check_modules(OW_PC_${name} QUIET IMPORTED_TARGET GLOBAL ${spec})
  if(NOT OW_PC_${name}_FOUND)
    ow_missing("${module} (pkg-config ${spec})" ${package})
  endif()
  add_library(ow::${name} ALIAS PkgConfig::OW_PC_${name})
endfunction()

# JSON: header-only.
find_package(nlohmann_json 3.10 QUIET)
if(NOT nlohmann_json_FOUND)
  ow_missing("nlohmann_json" nlohmann-json3-dev)
endif()

# OpenSSL 3 (hashing, CMS, TLS).
find_package(OpenSSL 3.0 QUIET)
if(NOT OPENSSL_FOUND)
  ow_missing("OpenSSL 3" libssl-dev)
endif()

# libcurl (platform client).
find_package(CURL QUIET)
if(NOT CURL_FOUND)
  ow_missing("libcurl" libcurl4-openssl-dev)
endif()

# zlib (compressed request bodies of the platform client).
find_package(ZLIB QUIET)
if(NOT ZLIB_FOUND)
  ow_missing("zlib" zlib1g-dev)
endif()

# Boost.Test (unit tests).
if(OW_BUILD_TESTS)
  find_package(Boost 1.74 QUIET COMPONENTS unit_test_framework)
  if(NOT Boost_FOUND)
    ow_missing("Boost.Test" libboost-test-dev)
  endif()
endif()

# SQLCipher 4: pkg-config `sqlcipher` reports the SQLite version (3.46.1 for SQLCipher 4.6.1);
# the real check is PRAGMA cipher_version at run time (ow_store).
ow_pkg(sqlcipher sqlcipher "libsqlcipher-dev (from bookworm-backports, 4.x)" 3.40)
ow_pkg(sodium libsodium libsodium-dev 1.0.18)
ow_pkg(poppler_cpp poppler-cpp libpoppler-cpp-dev)
ow_pkg(qpdf libqpdf libqpdf-dev 11)
ow_pkg(png libpng libpng-dev 1.6)
ow_pkg(pangocairo pangocairo "libpango1.0-dev and libcairo2-dev")
ow_pkg(qrencode libqrencode libqrencode-dev)
# Scanner plugin: SANE (test backend in tests) and cairo for PNG/PDF pages.
ow_pkg(sane sane-backends libsane-dev)
ow_pkg(cairo cairo libcairo2-dev)
# The training platform (tools/platform-sim): cpp-httplib, a compiled library in Debian 12
# (0.11.4, built with OpenSSL, zlib and brotli; its .pc defines the CPPHTTPLIB_* switches).
ow_pkg(httplib cpp-httplib libcpp-httplib-dev)
# The archive package (client/archive): zip files (libzip) and reading its XML (libxml2).
ow_pkg(zip libzip libzip-dev 1.7)
ow_pkg(xml2 libxml-2.0 libxml2-dev)
find_package(Threads REQUIRED)

# wxWidgets 3.2 — only for client/app.
if(OW_BUILD_GUI)
  find_package(wxWidgets 3.2 QUIET COMPONENTS core base)
  if(NOT wxWidgets_FOUND)
    ow_missing("wxWidgets 3.2" libwxgtk3.2-dev)
  endif()
  add_library(ow_wx INTERFACE)
  target_include_directories(ow_wx SYSTEM INTERFACE ${wxWidgets_INCLUDE_DIRS})
  target_compile_definitions(ow_wx INTERFACE ${wxWidgets_DEFINITIONS})
  target_compile_options(ow_wx INTERFACE ${wxWidgets_CXX_FLAGS})
  target_link_libraries(ow_wx INTERFACE ${wxWidgets_LIBRARIES})
  add_library(ow::wx ALIAS ow_wx)
endif()

# gettext tools (message catalogues).
find_program(OW_MSGFMT msgfmt)
find_program(OW_XGETTEXT xgettext)
if(NOT OW_MSGFMT OR NOT OW_XGETTEXT)
  ow_missing("gettext tools (msgfmt, xgettext)" gettext)
endif()
