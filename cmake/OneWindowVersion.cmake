#[[ The version every binary prints: PROJECT_VERSION and the git revision it was built from,
    e.g. "0.1.0 (git 1a2b3c4)", "0.1.0 (git 1a2b3c4+dirty)", "0.1.0 (git unknown)" (a tarball).
    The revision is read at BUILD time by ow_git_revision.cmake, which rewrites
    <build>/generated/ow/version.h only when its text changes, so a commit recompiles just the few
    files that include it (the mains) and ccache keeps the rest. Link ow::version and
    #include "ow/version.h" for OW_VERSION_TEXT. A build from a tarball may pass
    -DOW_GIT_REVISION=<rev> to name its revision. ]]
set(OW_GIT_REVISION "" CACHE STRING "The git revision to print when the source has no .git (empty: read it from git)")
set(OW_VERSION_HEADER ${CMAKE_BINARY_DIR}/generated/ow/version.h)
find_program(OW_GIT git)
add_custom_target(ow_git_revision
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUTPUT=${OW_VERSION_HEADER}
          -DVERSION=${PROJECT_VERSION} -DGIT=${OW_GIT} -DREVISION=${OW_GIT_REVISION}
          -P ${CMAKE_CURRENT_LIST_DIR}/ow_git_revision.cmake
  BYPRODUCTS ${OW_VERSION_HEADER}
  COMMENT "" VERBATIM)
add_library(ow_version INTERFACE)
add_library(ow::version ALIAS ow_version)
target_include_directories(ow_version INTERFACE ${CMAKE_BINARY_DIR}/generated)
add_dependencies(ow_version ow_git_revision)
