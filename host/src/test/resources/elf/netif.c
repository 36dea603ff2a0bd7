/* The machine's network interfaces as a program enumerates them: glibc's getifaddrs (rtnetlink's link and address
   dumps), if_nameindex (a link dump), if_nametoindex and the SIOCGIF ioctls, SIOCGIFCONF's list. Under hdbg the
   machine has its loopback alone; NetworkInterfacesIT compares with a loopback-only namespace's run. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "show.h"

static const char *text(struct sockaddr *a, char *buffer, size_t size) {
    if (a == NULL) {
        return "-";
    }
    if (a->sa_family == AF_INET) {
        return inet_ntop(AF_INET, &((struct sockaddr_in *) a)->sin_addr, buffer, size);
    }
    if (a->sa_family == AF_INET6) {
        return inet_ntop(AF_INET6, &((struct sockaddr_in6 *) a)->sin6_addr, buffer, size);
    }
    snprintf(buffer, size, "family %d", a->sa_family);
    return buffer;
}

int main(void) {
    struct ifaddrs *all;
    show("getifaddrs", getifaddrs(&all));
    for (struct ifaddrs *i = all; i != NULL; i = i->ifa_next) {
        char address[64], mask[64];
        printf("%s flags %#x %s %s\n", i->ifa_name, i->ifa_flags, text(i->ifa_addr, address, sizeof address),
               text(i->ifa_netmask, mask, sizeof mask));
    }
    freeifaddrs(all);

    struct if_nameindex *names = if_nameindex();
    for (struct if_nameindex *n = names; n != NULL && n->if_index != 0; n++) {
        printf("interface %u %s\n", n->if_index, n->if_name);
    }
    if_freenameindex(names);
    show("if_nametoindex lo", if_nametoindex("lo"));
    show("if_nametoindex eth0", if_nametoindex("eth0") == 0 ? -1 : 1);

    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq list[4];
    struct ifconf conf = {.ifc_len = sizeof list, .ifc_req = list};
    show("SIOCGIFCONF", ioctl(fd, SIOCGIFCONF, &conf));
    for (int i = 0; i < conf.ifc_len / (int) sizeof list[0]; i++) {
        char address[64];
        struct ifreq request = list[i];
        ioctl(fd, SIOCGIFFLAGS, &request);
        int flags = request.ifr_flags;
        ioctl(fd, SIOCGIFMTU, &request);
        printf("%s %s flags %#x mtu %d\n", list[i].ifr_name, text(&list[i].ifr_addr, address, sizeof address), flags,
               request.ifr_mtu);
    }
    struct ifreq down = {.ifr_flags = 0};
    strcpy(down.ifr_name, "lo");
    show("SIOCSIFFLAGS", ioctl(fd, SIOCSIFFLAGS, &down));
    close(fd);
    return 0;
}
