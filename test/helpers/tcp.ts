// TCP-level checks for tests that stop servers: is a port still accepting connections?
import net from "node:net";

export const portOf = (url: string) => Number(new URL(url).port);

/** Resolves true when a TCP connection to the port is accepted, false when it is refused. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}
