package io.recsys.monitor.job.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads each file as one UTF-8 string: a reference profile is one (pretty-printed) JSON document,
 * not a line per record. Files larger than {@value #MAX_BYTES} bytes are refused, so that a wrong
 * path cannot fill the heap.
 */
public final class WholeFileFormat extends SimpleStreamFormat<String> {
    private static final long serialVersionUID = 1L;
    static final int MAX_BYTES = 256 * 1024 * 1024;

    @Override
    public StreamFormat.Reader<String> createReader(
            Configuration config, FSDataInputStream stream) {
        return new StreamFormat.Reader<String>() {
            private boolean done;

            @Override
            public String read() throws IOException {
                if (done) {
                    return null;
                }
                done = true;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = stream.read(buffer)) != -1) {
                    bytes.write(buffer, 0, n);
                    if (bytes.size() > MAX_BYTES) {
                        throw new IOException("reference file larger than " + MAX_BYTES + " bytes");
                    }
                }
                return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
