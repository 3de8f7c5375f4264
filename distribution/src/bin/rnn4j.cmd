@echo off
rem rnn4j launcher of the binary distribution for Windows: runs lib\rnn4j-cli-*.jar (its manifest
rem lists the other jars in lib\) on the java of JAVA_HOME, else the java on the PATH (Java 17+).
rem Environment: RNN4J_BACKEND (tf|dl4j), RNN4J_JAVA_OPTS (JVM options), JAVA_HOME.
setlocal
rem The Spark commands need a Spark installation, which this archive leaves out on purpose.
if /i "%~1"=="spark" (
  echo rnn4j: error: 'rnn4j spark' is not in this archive; on a Spark installation run spark-submit --class org.rnn4j.spark.cli.SparkMain rnn4j-spark-^<version^>-app.jar ..., or ./rnn4j spark ... in a source checkout ^(SCALE.md^) 1>&2
  exit /b 2
)
set "RNN4J_HOME=%~dp0.."
set "RNN4J_JAR="
for %%f in ("%RNN4J_HOME%\lib\rnn4j-cli-*.jar") do set "RNN4J_JAR=%%~ff"
if not defined RNN4J_JAR (
  echo rnn4j: error: no lib\rnn4j-cli-*.jar beside %RNN4J_HOME%\bin; unpack the whole rnn4j archive again 1>&2
  exit /b 1
)
set "RNN4J_JAVA=java"
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "RNN4J_JAVA=%JAVA_HOME%\bin\java.exe"
rem TensorFlow reads its log level once, when its native library loads.
if not defined TF_CPP_MIN_LOG_LEVEL set "TF_CPP_MIN_LOG_LEVEL=2"
if not defined RNN4J_JAVA_OPTS set "RNN4J_JAVA_OPTS=-Xmx3g -XX:+UseSerialGC"
"%RNN4J_JAVA%" %RNN4J_JAVA_OPTS% -Djava.awt.headless=true -jar "%RNN4J_JAR%" %*
exit /b %ERRORLEVEL%
