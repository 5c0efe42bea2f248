#!/usr/bin/env bash
# The "no wx outside client/app" rule must fail configure: a small project that uses our check
# with a GUI-free library linking wx through another target (one of client/app's) must be refused, and
# the same project without that link must configure.
set -euo pipefail
src=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
make_project() {  # make_project DIR LINK_WX(0|1)
  mkdir -p "$1/client/app" "$1/lib"
  cat >"$1/CMakeLists.txt" <<CMK
cmake_minimum_required(VERSION 3.25)
project(guifree LANGUAGES NONE)
include($src/cmake/OneWindowGuiFree.cmake)
add_library(ow_wx INTERFACE)
target_link_libraries(ow_wx INTERFACE /usr/lib/libwx_gtk3u_core-3.2.so)
add_subdirectory(lib)
add_subdirectory(client/app)
cmake_language(DEFER DIRECTORY \${CMAKE_SOURCE_DIR} CALL ow_check_gui_free_targets)
CMK
  echo 'add_library(app_part INTERFACE)
target_link_libraries(app_part INTERFACE ow_wx)' >"$1/client/app/CMakeLists.txt"
  if [[ $2 == 2 ]]; then  # presenters beside the GUI, declared wx-free, that link wx anyway
    echo 'add_library(ow_presenters INTERFACE)
set_target_properties(ow_presenters PROPERTIES OW_GUI_FREE TRUE)
target_link_libraries(ow_presenters INTERFACE app_part)' >>"$1/client/app/CMakeLists.txt"
  fi
  if [[ $2 == 1 ]]; then
    echo 'add_library(ow_bad INTERFACE)
target_link_libraries(ow_bad INTERFACE app_part)' >"$1/lib/CMakeLists.txt"
  else
    echo 'add_library(ow_good INTERFACE)' >"$1/lib/CMakeLists.txt"
  fi
}
make_project "$tmp/bad" 1
make_project "$tmp/good" 0
make_project "$tmp/presenters" 2
if cmake -S "$tmp/presenters" -B "$tmp/presenters/build" >"$tmp/presenters.log" 2>&1; then
  echo "FAIL: a presenter library in client/app declared OW_GUI_FREE that links wx configured"; exit 1
fi
grep -q "GUI-free target 'ow_presenters'" "$tmp/presenters.log" || { echo "FAIL: message does not name the presenters:"; cat "$tmp/presenters.log"; exit 1; }
if cmake -S "$tmp/bad" -B "$tmp/bad/build" >"$tmp/bad.log" 2>&1; then
  echo "FAIL: a GUI-free target linking wx through another target configured"; exit 1
fi
grep -q "GUI-free target 'ow_bad'" "$tmp/bad.log" || { echo "FAIL: message does not name the target:"; cat "$tmp/bad.log"; exit 1; }
cmake -S "$tmp/good" -B "$tmp/good/build" >"$tmp/good.log" 2>&1 || { echo "FAIL: a clean project was refused"; cat "$tmp/good.log"; exit 1; }
echo "ok: the wx rule refuses ow_bad and wx-linking presenters, and accepts a clean project"
