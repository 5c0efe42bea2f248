# cmake -DSOURCE_DIR=… -DXGETTEXT=… -DOUTPUT=… -P refresh_pot.cmake
# Collects every marked string of the C++ sources into the .pot. Keywords (pinned):
#   _ (wx), wxPLURAL:1,2, wxTRANSLATE, OW_N_ (GUI-free core marker), N_ (the desk's action table).
#   tr and TR_N_ (the CLI, client/cli/i18n.h).
file(GLOB_RECURSE sources RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/client/*.cpp ${SOURCE_DIR}/client/*.h
  ${SOURCE_DIR}/forms/*.cpp ${SOURCE_DIR}/forms/*.h
  ${SOURCE_DIR}/plugins/*.cpp ${SOURCE_DIR}/plugins/*.h)
list(SORT sources)
execute_process(
  COMMAND ${XGETTEXT} --language=C++ --from-code=UTF-8 --add-comments=TRANSLATORS:
          --keyword=_ --keyword=wxPLURAL:1,2 --keyword=wxTRANSLATE --keyword=OW_N_ --keyword=N_ --keyword=tr --keyword=TR_N_
          --package-name=onewindow --msgid-bugs-address=dev@onewindow.invalid
          --sort-by-file --no-wrap -o ${OUTPUT} ${sources}
  WORKING_DIRECTORY ${SOURCE_DIR}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "xgettext failed (${rc})")
endif()

# -DMERGE_PO=ON: merge the fresh template into every .po beside it (msgmerge --update).
if(MERGE_PO)
  find_program(MSGMERGE msgmerge REQUIRED)
  get_filename_component(dir ${OUTPUT} DIRECTORY)
  file(GLOB pos ${dir}/*.po)
  foreach(po IN LISTS pos)
    execute_process(COMMAND ${MSGMERGE} --quiet --no-wrap --update --backup=none ${po} ${OUTPUT} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "msgmerge failed for ${po}")
    endif()
  endforeach()
endif()
