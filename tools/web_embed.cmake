# Build the dashboard (web/build.mjs, esbuild from web/node_modules) into DIST and compile every
# built file into OUT as the table hb_web_files (tools/embed.c). Run by src/CMakeLists.txt as
#   cmake -DNODE=… -DWEB=<source>/web -DDIST=<build>/web -DEMBED=<hb_embed> -DOUT=… -P web_embed.cmake
# A failing build fails the C build: a binary never silently ships a stale or half dashboard.
foreach(var NODE WEB DIST EMBED OUT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "web_embed.cmake: -D${var}=… is required")
    endif()
endforeach()
execute_process(COMMAND ${NODE} ${WEB}/build.mjs ${DIST} WORKING_DIRECTORY ${WEB}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the dashboard build (node web/build.mjs) failed: ${rc}")
endif()
file(GLOB files LIST_DIRECTORIES false ${DIST}/*)
list(SORT files)
if(NOT files)
    message(FATAL_ERROR "the dashboard build produced no files in ${DIST}")
endif()
execute_process(COMMAND ${EMBED} ${OUT} hb_web_files ${files} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "embedding the dashboard failed: ${rc}")
endif()
