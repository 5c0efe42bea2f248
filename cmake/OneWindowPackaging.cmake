#[[ Installers (issue 20; docs/packaging.md says what each one holds and what is untested).
    Two install components:
      onewindow     the desk, onewindow-cli, onewindow-plugin-host, the installed plugins (not the
                    TEST_ONLY ones), data (catalogue, calendar, notice templates), translations,
                    desktop entry, AppStream metainfo, icons, man pages (the default component)
      platform_sim  onewindow-platform-sim, the training platform
    Linux: CPack DEB, one package per component (onewindow, onewindow-platform-sim), dependencies
    from dpkg-shlibdeps. Windows: NSIS with the run-time DLLs. macOS: an app bundle (DragNDrop).
    Included at the end of the top-level CMakeLists, once every install() rule exists. ]]
set(OW_PACKAGING_DIR ${CMAKE_SOURCE_DIR}/assets/packaging)
set(OW_APP_ID org.onewindow.OneWindow)  # AppStream component ID and desktop file name (reverse DNS)

set(CPACK_PACKAGE_NAME onewindow)
set(CPACK_PACKAGE_VENDOR "The OneWindow authors")
set(CPACK_PACKAGE_CONTACT "OneWindow maintainers <maintainers@onewindow.invalid>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_INSTALL_DIRECTORY OneWindow)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL onewindow platform_sim)
set(CPACK_COMPONENT_ONEWINDOW_DISPLAY_NAME "OneWindow (一窗通)")
set(CPACK_COMPONENT_ONEWINDOW_REQUIRED ON)
set(CPACK_COMPONENT_PLATFORM_SIM_DISPLAY_NAME "Training platform")
set(CPACK_COMPONENT_PLATFORM_SIM_DISABLED ON)  # NSIS: offered, not ticked
# One string each: the first line is the synopsis, the rest the long description (lines of at most
# 80 columns, as Debian wants).
string(CONCAT CPACK_COMPONENT_ONEWINDOW_DESCRIPTION
  "desk client for the comprehensive windows of government service centres\n"
  "OneWindow (一窗通) is the desk of the clerks at the comprehensive window of a\n"
  "government service centre and of the chief representatives who decide on site:\n"
  "the service catalogue with its guides, intake forms and material checklists,\n"
  "deadlines in working days, notices sealed with electronic seals, device plugins\n"
  "(ID card readers, scanners, rating devices, signature pads) and an encrypted\n"
  "offline store that syncs with the provincial platform.\n"
  "This package holds the desk (onewindow), its command line (onewindow-cli) and\n"
  "the device plugins.")
string(CONCAT CPACK_COMPONENT_PLATFORM_SIM_DESCRIPTION
  "OneWindow training platform (simulated provincial platform)\n"
  "onewindow-platform-sim serves the provincial government-service platform's\n"
  "interface for development, tests and clerk training: enrolment of terminals,\n"
  "sync, appointments, electronic licences and the audit anchor, in one SQLite\n"
  "file.")

if(UNIX AND NOT APPLE)
  set(CPACK_GENERATOR DEB)
  set(CPACK_DEB_COMPONENT_INSTALL ON)
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # onewindow_0.1.0_amd64.deb
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
  set(CPACK_DEBIAN_ONEWINDOW_PACKAGE_NAME onewindow)
  set(CPACK_DEBIAN_ONEWINDOW_PACKAGE_SECTION misc)
  # The desk and the notices draw Chinese text: a CJK font (shlibdeps cannot know).
  set(CPACK_DEBIAN_ONEWINDOW_PACKAGE_DEPENDS "fonts-noto-cjk")
  # wx's own words (stock buttons such as 关闭) in the desk's languages.
  set(CPACK_DEBIAN_ONEWINDOW_PACKAGE_RECOMMENDS "wx3.2-i18n")
  set(CPACK_DEBIAN_PLATFORM_SIM_PACKAGE_NAME onewindow-platform-sim)
  set(CPACK_DEBIAN_PLATFORM_SIM_PACKAGE_SECTION net)
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")  # else CPackDeb puts the project's summary before our synopsis
  set(CPACK_DEBIAN_ONEWINDOW_DESCRIPTION "${CPACK_COMPONENT_ONEWINDOW_DESCRIPTION}")
  set(CPACK_DEBIAN_PLATFORM_SIM_DESCRIPTION "${CPACK_COMPONENT_PLATFORM_SIM_DESCRIPTION}")

  include(GNUInstallDirs)
  find_package(Python3 COMPONENTS Interpreter REQUIRED)
  set(gen ${CMAKE_BINARY_DIR}/packaging)
  # Man pages from hand-written templates and the binaries' own --help (tools/man/ow_man.py).
  set(man_pages "")
  set(man_pages_sim "")
  foreach(bin IN ITEMS onewindow onewindow-cli onewindow-plugin-host onewindow-platform-sim)
    if(NOT TARGET ${bin})
      continue()  # OW_BUILD_GUI=OFF: no desk
    endif()
    add_custom_command(OUTPUT ${gen}/${bin}.1.gz
      COMMAND Python3::Interpreter ${CMAKE_SOURCE_DIR}/tools/man/ow_man.py $<TARGET_FILE:${bin}>
              ${CMAKE_SOURCE_DIR}/docs/man/${bin}.1.in ${gen}/${bin}.1.gz
      DEPENDS ${bin} ${CMAKE_SOURCE_DIR}/tools/man/ow_man.py ${CMAKE_SOURCE_DIR}/docs/man/${bin}.1.in
      COMMENT "Man page ${bin}.1" VERBATIM)
    if(bin STREQUAL "onewindow-platform-sim")
      list(APPEND man_pages_sim ${gen}/${bin}.1.gz)
    else()
      list(APPEND man_pages ${gen}/${bin}.1.gz)
    endif()
  endforeach()
  # Debian wants a changelog in each package's doc folder, compressed without a time stamp.
  add_custom_command(OUTPUT ${gen}/changelog.gz
    COMMAND sh -c "gzip -9n < \"$0\" > \"$1\"" ${OW_PACKAGING_DIR}/changelog ${gen}/changelog.gz
    DEPENDS ${OW_PACKAGING_DIR}/changelog VERBATIM)
  # Part of "all" except in sanitizer and fuzz trees (the man pages run the binaries).
  if(OW_SANITIZE OR OW_FUZZ)
    set(all "")
  else()
    set(all ALL)
  endif()
  add_custom_target(ow_packaging_files ${all} DEPENDS ${man_pages} ${man_pages_sim} ${gen}/changelog.gz)
  configure_file(${OW_PACKAGING_DIR}/${OW_APP_ID}.metainfo.xml ${gen}/${OW_APP_ID}.metainfo.xml @ONLY)

  install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT onewindow)
  install(FILES ${man_pages_sim} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT platform_sim)
  install(FILES ${OW_PACKAGING_DIR}/${OW_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications
          COMPONENT onewindow)
  install(FILES ${gen}/${OW_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT onewindow)
  foreach(size IN ITEMS 16 22 24 32 48 64 128 256)
    install(FILES ${OW_PACKAGING_DIR}/icons/onewindow-${size}.png
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps RENAME onewindow.png
            COMPONENT onewindow)
  endforeach()
  install(FILES ${OW_PACKAGING_DIR}/icons/onewindow.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps
          COMPONENT onewindow)
  foreach(pair IN ITEMS "onewindow=onewindow" "platform_sim=onewindow-platform-sim")
    string(REPLACE "=" ";" pair ${pair})
    list(GET pair 0 component)
    list(GET pair 1 package)
    install(FILES ${OW_PACKAGING_DIR}/copyright ${gen}/changelog.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package}
            COMPONENT ${component})
  endforeach()
elseif(WIN32)
  # Untested (docs/packaging.md): NSIS, the binaries, plugins and data under one folder as on
  # Linux (bin/, share/, lib/onewindow/plugins), with every DLL they load from outside Windows.
  set(CPACK_GENERATOR NSIS)
  set(CPACK_NSIS_DISPLAY_NAME "OneWindow (一窗通)")
  set(CPACK_NSIS_MUI_ICON ${OW_PACKAGING_DIR}/icons/onewindow.ico)
  set(CPACK_NSIS_MUI_UNIICON ${OW_PACKAGING_DIR}/icons/onewindow.ico)
  set(CPACK_NSIS_INSTALLED_ICON_NAME bin\\\\onewindow.exe)
  set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
  set(CPACK_PACKAGE_EXECUTABLES onewindow "OneWindow 一窗通")
  set(CMAKE_INSTALL_SYSTEM_RUNTIME_COMPONENT onewindow)
  include(InstallRequiredSystemLibraries)  # the MSVC run time (vcruntime, msvcp)
  # wxWidgets, libcurl, OpenSSL, SQLCipher … DLLs (vcpkg or similar) next to the executables.
  install(CODE [[
    file(GET_RUNTIME_DEPENDENCIES
      EXECUTABLES "$<TARGET_FILE:onewindow>" "$<TARGET_FILE:onewindow-cli>" "$<TARGET_FILE:onewindow-plugin-host>"
      RESOLVED_DEPENDENCIES_VAR dlls UNRESOLVED_DEPENDENCIES_VAR missing
      DIRECTORIES $ENV{PATH}
      PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-"
      POST_EXCLUDE_REGEXES "[Ss]ystem32")
    foreach(dll IN LISTS dlls)
      file(INSTALL "${dll}" DESTINATION "${CMAKE_INSTALL_PREFIX}/bin")
    endforeach()
    if(missing)
      message(WARNING "DLLs not found for the installer: ${missing}")
    endif()
  ]] COMPONENT onewindow)
  # Signing: not configured; sign the binaries and the installer with signtool (docs/packaging.md).
elseif(APPLE)
  # Untested (docs/packaging.md): an app bundle OneWindow.app laid out like the Linux prefix
  # inside Contents/ (MacOS/ holds the binaries, so <exe>/../share and <exe>/../lib/onewindow/plugins
  # resolve as on Linux), packed into a .dmg.
  set(CPACK_GENERATOR DragNDrop)
  set(CPACK_PACKAGING_INSTALL_PREFIX "/OneWindow.app/Contents")
  set(OW_MACOS_BUNDLE_ID ${OW_APP_ID})
  configure_file(${OW_PACKAGING_DIR}/Info.plist.in ${CMAKE_BINARY_DIR}/packaging/Info.plist @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/packaging/Info.plist DESTINATION . COMPONENT onewindow)
  # The icon: iconutil (macOS) makes onewindow.icns from the committed PNGs.
  set(iconset ${CMAKE_BINARY_DIR}/packaging/onewindow.iconset)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/packaging/onewindow.icns
    COMMAND ${CMAKE_COMMAND} -E make_directory ${iconset}
    COMMAND ${CMAKE_COMMAND} -E copy ${OW_PACKAGING_DIR}/icons/onewindow-16.png ${iconset}/icon_16x16.png
    COMMAND ${CMAKE_COMMAND} -E copy ${OW_PACKAGING_DIR}/icons/onewindow-32.png ${iconset}/icon_32x32.png
    COMMAND ${CMAKE_COMMAND} -E copy ${OW_PACKAGING_DIR}/icons/onewindow-128.png ${iconset}/icon_128x128.png
    COMMAND ${CMAKE_COMMAND} -E copy ${OW_PACKAGING_DIR}/icons/onewindow-256.png ${iconset}/icon_256x256.png
    COMMAND iconutil -c icns -o ${CMAKE_BINARY_DIR}/packaging/onewindow.icns ${iconset}
    VERBATIM)
  add_custom_target(ow_packaging_files ALL DEPENDS ${CMAKE_BINARY_DIR}/packaging/onewindow.icns)
  install(FILES ${CMAKE_BINARY_DIR}/packaging/onewindow.icns DESTINATION Resources COMPONENT onewindow)
  # Signing placeholder: with OW_MACOS_SIGN_IDENTITY set ("Developer ID Application: …"), the
  # staged bundle (the prefix's parent, OneWindow.app) is signed (hardened run time) after every
  # other install rule (CMP0082) and before it is packed; notarisation is a manual step.
  set(OW_MACOS_SIGN_IDENTITY "" CACHE STRING "codesign identity for the app bundle (empty: not signed)")
  if(OW_MACOS_SIGN_IDENTITY)
    install(CODE "execute_process(COMMAND codesign --force --deep --options runtime --timestamp
                    --sign \"${OW_MACOS_SIGN_IDENTITY}\" \"\${CMAKE_INSTALL_PREFIX}/..\" COMMAND_ERROR_IS_FATAL ANY)"
            COMPONENT onewindow)
  endif()
endif()

include(CPack)
