#[[ The build tree mirrors the installed layout, so binaries find their data the same way in
    both:  <prefix>/bin/<binaries>  and  <prefix>/share/onewindow/{calendar,catalog,notices}, and
    <prefix>/share/locale/<lang>/LC_MESSAGES/onewindow.mo, and device plugins in
    <prefix>/lib/onewindow/plugins/<name>/. In the build tree the data folders are links to the
    source tree, so an edited catalogue needs no rebuild. ]]
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
set(CMAKE_LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)
set(OW_BUILD_DATA_DIR ${CMAKE_BINARY_DIR}/share/onewindow)
set(OW_BUILD_LOCALE_DIR ${CMAKE_BINARY_DIR}/share/locale)
# Device plugins: <prefix>/lib/onewindow/plugins/<name>/ (plugin.json + library), found by the
# binaries relative to themselves (plugins/CMakeLists.txt, docs/plugins.md).
set(OW_PLUGIN_SUBDIR lib/onewindow/plugins)
set(OW_BUILD_PLUGIN_DIR ${CMAKE_BINARY_DIR}/${OW_PLUGIN_SUBDIR})
file(MAKE_DIRECTORY ${OW_BUILD_DATA_DIR})
foreach(pair "calendar=assets/calendar" "catalog=forms/catalog" "notices=assets/notices")
  string(REPLACE "=" ";" pair ${pair})
  list(GET pair 0 name)
  list(GET pair 1 src)
  file(CREATE_LINK ${CMAKE_SOURCE_DIR}/${src} ${OW_BUILD_DATA_DIR}/${name} SYMBOLIC)
endforeach()

include(GNUInstallDirs)
install(DIRECTORY assets/calendar/ DESTINATION ${CMAKE_INSTALL_DATADIR}/onewindow/calendar)
install(DIRECTORY forms/catalog/ DESTINATION ${CMAKE_INSTALL_DATADIR}/onewindow/catalog)
install(DIRECTORY assets/notices/ DESTINATION ${CMAKE_INSTALL_DATADIR}/onewindow/notices)
