"""A seccomp filter for the grading sandbox: the system calls a graded function never needs, refused.

bubblewrap loads it (`--seccomp FD`) before it starts the worker, as Flatpak does. It refuses: new namespaces
(`unshare`, `setns`, `clone` with a namespace flag; `clone3` reports ENOSYS so the C library falls back to
`clone`), which would give the submission every capability inside its own user namespace and memory outside
the sandbox's limits; mounting; the kernel keyring (shared by every process of one user, so a way to leave
data for the next submission); tracing other processes and reading their memory; loading kernel modules,
BPF programs and performance counters; io_uring and userfaultfd; and memory that the address-space limit
does not count (`memfd_create`, `memfd_secret`, System V shared memory `shmget`/`shmat` and message queues
`msgget`: pages written there stay in RAM outside RLIMIT_AS and outside the tmpfs limits, and only a control
group would bound them). Any other architecture's system call
convention (i386 or x32 calls from an x86_64 process) kills the process.

The program is classic BPF (struct sock_filter: u16 code, u8 jt, u8 jf, u32 k), built here without libseccomp.
"""

import errno
import platform
import struct

# struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6]
NR, ARCH, ARG0 = 0, 4, 16
LD_W_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
ALLOW, KILL_PROCESS, ERRNO = 0x7FFF0000, 0x80000000, 0x00050000
X32_BIT = 0x40000000
NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000
# CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET

ARCHES = {
    # machine: (AUDIT_ARCH, refused system calls, clone, clone3)
    "x86_64": (0xC000003E, {
        "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161,
        "keyctl": 250, "add_key": 248, "request_key": 249, "ptrace": 101, "process_vm_readv": 310,
        "process_vm_writev": 311, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "init_module": 175,
        "finit_module": 313, "delete_module": 176, "kexec_load": 246, "kexec_file_load": 320,
        "open_by_handle_at": 304, "name_to_handle_at": 303, "open_tree": 428, "move_mount": 429, "fsopen": 430,
        "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442, "swapon": 167, "swapoff": 168,
        "reboot": 169, "acct": 163, "syslog": 103, "quotactl": 179, "personality": 135, "memfd_create": 319,
        "memfd_secret": 447, "shmget": 29, "shmat": 30, "msgget": 68}, 56, 435),
    "aarch64": (0xC00000B7, {
        "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51,
        "keyctl": 219, "add_key": 217, "request_key": 218, "ptrace": 117, "process_vm_readv": 270,
        "process_vm_writev": 271, "bpf": 280, "perf_event_open": 241, "userfaultfd": 282,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427, "init_module": 105,
        "finit_module": 273, "delete_module": 106, "kexec_load": 104, "kexec_file_load": 294,
        "open_by_handle_at": 265, "name_to_handle_at": 264, "open_tree": 428, "move_mount": 429, "fsopen": 430,
        "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442, "swapon": 224, "swapoff": 225,
        "reboot": 142, "acct": 89, "syslog": 116, "quotactl": 60, "personality": 92, "memfd_create": 279,
        "memfd_secret": 447, "shmget": 194, "shmat": 196, "msgget": 186}, 220, 435),
}


def _op(code, k, jt=0, jf=0):
    return struct.pack("=HBBI", code, jt, jf, k & 0xFFFFFFFF)


def program(machine=None):
    """The filter as bytes for this machine's architecture, or None where there is no table for it."""
    machine = machine or platform.machine()
    if machine not in ARCHES:
        return None
    arch, refused, clone, clone3 = ARCHES[machine]
    deny = ERRNO | errno.EPERM
    ops = [_op(LD_W_ABS, ARCH), _op(JEQ, arch, 1, 0), _op(RET, KILL_PROCESS),
           _op(LD_W_ABS, NR)]
    if machine == "x86_64":
        ops += [_op(JGE, X32_BIT, 0, 1), _op(RET, KILL_PROCESS)]
    for number in sorted(set(refused.values())):
        ops += [_op(JEQ, number, 0, 1), _op(RET, deny)]
    ops += [_op(JEQ, clone3, 0, 1), _op(RET, ERRNO | errno.ENOSYS),
            _op(JEQ, clone, 0, 3), _op(LD_W_ABS, ARG0), _op(JSET, NAMESPACE_FLAGS, 0, 1), _op(RET, deny),
            _op(RET, ALLOW)]
    return b"".join(ops)
